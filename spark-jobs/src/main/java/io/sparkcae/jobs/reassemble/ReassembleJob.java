package io.sparkcae.jobs.reassemble;

import io.sparkcae.core.error.SparkCaeException;
import io.sparkcae.core.tensor.FloatCodec;
import io.sparkcae.core.tensor.PatchShape;
import io.sparkcae.jobs.common.Fingerprint;
import io.sparkcae.jobs.common.StageContext;
import io.sparkcae.jobs.common.StageRunner;
import io.sparkcae.jobs.common.CommittedStage;
import io.sparkcae.prep.dataset.Manifest;
import io.sparkcae.prep.dataset.PatchDataset;
import io.sparkcae.prep.dataset.PatchSchema;
import io.sparkcae.prep.reassembly.BlendWindow;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.Path;
import org.apache.spark.api.java.JavaPairRDD;
import org.apache.spark.broadcast.Broadcast;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.util.SerializableConfiguration;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import scala.Tuple2;

import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

import static org.apache.spark.sql.functions.col;

/**
 * The reassemble stage: stitches the patches of each sample back into the sample's original geometry
 * (from the manifest) with overlap blending, and writes one file per sample (NPY for any rank; TIFF or PNG
 * for 2D) into {@code <run-dir>/reassemble}. Run on the patch dataset itself it must reproduce the input
 * wherever the windows cover it, which is how the patching is checked end to end.
 */
public final class ReassembleJob {
    private static final Logger LOG = LoggerFactory.getLogger(ReassembleJob.class);
    public static final String DIR = "reassemble";
    /** Output of {@code --what residuals}: score's per-patch residuals stitched into whole samples. */
    public static final String RESIDUALS_DIR = "residual-maps";

    /** What to stitch: the patch dataset itself, or the residuals (reconstruction - input) from score. */
    public enum What { PATCHES, RESIDUALS }

    private ReassembleJob() {
    }

    public static Map<String, Object> run(SparkSession spark, StageContext ctx, String format, BlendWindow blend)
            throws Exception {
        return run(spark, ctx, What.PATCHES, format, blend);
    }

    public static Map<String, Object> run(SparkSession spark, StageContext ctx, What what, String format,
                                          BlendWindow blend) throws Exception {
        Configuration hadoop = spark.sparkContext().hadoopConfiguration();
        PatchDataset patches = PatchDataset.open(spark, ctx.patchesDir(hadoop));
        Manifest m = patches.manifest();
        PatchShape patchShape = m.shape();
        if (!format.equals("npy") && patchShape.spatialRank() != 2) {
            throw SparkCaeException.usage("--format " + format + ": only npy can hold " + patchShape.spatialRank()
                    + "-D samples");
        }
        Map<String, int[]> geometry = new HashMap<>();
        for (Manifest.SourceInfo s : m.sources()) {
            geometry.put(s.name(), s.sampleShape());
        }
        String inputStage = what == What.PATCHES ? StageContext.PREP_DIR : StageContext.SCORE_DIR;
        CommittedStage committedInput = CommittedStage.require(ctx.stageDir(inputStage), inputStage, hadoop);
        String inputDir = committedInput.dir().toString();
        String fingerprint = Fingerprint.of("reassemble", what.name(), format, blend.name(), committedInput.fingerprint());
        return StageRunner.run(ctx, what == What.PATCHES ? DIR : RESIDUALS_DIR, fingerprint, hadoop, target -> {
            long t0 = System.nanoTime();
            Broadcast<Map<String, int[]>> shapes = spark.sparkContext().broadcast(geometry,
                    scala.reflect.ClassTag$.MODULE$.apply(Map.class));
            Broadcast<SerializableConfiguration> conf = spark.sparkContext().broadcast(
                    new SerializableConfiguration(hadoop), scala.reflect.ClassTag$.MODULE$.apply(SerializableConfiguration.class));
            int[] window = patchShape.spatialDims();
            spark.sparkContext().setJobDescription("sparkcae reassemble: blend patches per sample");
            org.apache.spark.sql.Dataset<org.apache.spark.sql.Row> input = what == What.PATCHES
                    ? patches.rows().select(col(PatchSchema.ID), col(PatchSchema.SOURCE), col(PatchSchema.ORIGIN),
                    col(PatchSchema.DATA))
                    : spark.read().parquet(new Path(inputDir, "scores").toString())
                    .select(col("id"), col("source"), col("origin"), col("residual"));
            boolean heatMap = what == What.RESIDUALS && format.equals("png");
            JavaPairRDD<String, Tuple2<int[], byte[]>> keyed = input
                    .javaRDD()
                    .mapToPair(r -> new Tuple2<>(SampleKey.of(r.getString(1), r.getString(0)),
                            new Tuple2<>(PatchSchema.ints(r.getList(2)), (byte[]) r.get(3))));
            List<String> written = keyed.groupByKey().map(group -> {
                String source = SampleKey.source(group._1());
                int[] dims = shapes.value().get(source);
                if (dims == null) {
                    throw SparkCaeException.badData(source + ": not in the manifest's sources; re-run prep");
                }
                SampleCanvas canvas = new SampleCanvas(PatchShape.of(dims), window, blend);
                group._2().forEach(p -> canvas.add(p._1(), FloatCodec.decode(p._2())));
                String name = SampleKey.fileName(group._1()) + "." + format;
                SampleFileWriter.write(canvas.result(), heatMap ? "heatmap" : format, new Path(target, name),
                        conf.value().value());
                return name;
            }).collect();
            spark.sparkContext().setJobDescription(null);
            double secs = (System.nanoTime() - t0) / 1e9;
            Map<String, Object> metrics = new LinkedHashMap<>();
            metrics.put("samples", written.size());
            metrics.put("what", what.name().toLowerCase(Locale.ROOT));
            metrics.put("format", format);
            metrics.put("blend", blend.name().toLowerCase(Locale.ROOT));
            metrics.put("wall_s", Math.round(secs * 10) / 10.0);
            LOG.info("reassemble: {} samples -> {}", written.size(), target);
            return metrics;
        });
    }

}
