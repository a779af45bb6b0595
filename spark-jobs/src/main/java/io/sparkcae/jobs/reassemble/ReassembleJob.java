package io.sparkcae.jobs.reassemble;

import io.sparkcae.core.error.SparkCaeException;
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
import org.apache.spark.SparkConf;
import org.apache.spark.SparkContext;
import org.apache.spark.api.java.JavaPairRDD;
import org.apache.spark.api.java.JavaSparkContext;
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
        int[] window = patchShape.spatialDims();
        // before the stage starts: a sample that cannot fit fails here, with nothing read or written
        ReassemblyMemory memory = planMemory(spark, geometry, window, (long) patchShape.elementCount() * Float.BYTES);
        int partitions = partitions(spark, memory);
        return StageRunner.run(ctx, what == What.PATCHES ? DIR : RESIDUALS_DIR, fingerprint, hadoop, target -> {
            long t0 = System.nanoTime();
            Broadcast<Map<String, int[]>> shapes = spark.sparkContext().broadcast(geometry,
                    scala.reflect.ClassTag$.MODULE$.apply(Map.class));
            Broadcast<SerializableConfiguration> conf = spark.sparkContext().broadcast(
                    new SerializableConfiguration(hadoop), scala.reflect.ClassTag$.MODULE$.apply(SerializableConfiguration.class));
            spark.sparkContext().setJobDescription("sparkcae reassemble: blend patches per sample");
            org.apache.spark.sql.Dataset<org.apache.spark.sql.Row> input = what == What.PATCHES
                    ? patches.rows().select(col(PatchSchema.ID), col(PatchSchema.SOURCE), col(PatchSchema.ORIGIN),
                    col(PatchSchema.DATA))
                    : spark.read().parquet(new Path(inputDir, "scores").toString())
                    .select(col("id"), col("source"), col("origin"), col("residual"));
            boolean heatMap = what == What.RESIDUALS && format.equals("png");
            String writeAs = heatMap ? "heatmap" : format;
            String targetDir = target.toString();
            JavaPairRDD<PatchKey, byte[]> keyed = input
                    .javaRDD()
                    .mapToPair(r -> new Tuple2<>(new PatchKey(SampleKey.of(r.getString(1), r.getString(0)),
                            PatchSchema.ints(r.getList(2))), (byte[]) r.get(3)));
            // Sorted by (sample, origin) inside each partition, so a task streams one sample at a time through
            // a band; Spark's sorter spills to local disk instead of holding a sample's patches.
            List<String> written = keyed
                    .repartitionAndSortWithinPartitions(new PatchKey.BySample(partitions), new PatchKey.Order())
                    .mapPartitions(sorted -> new SampleStitcher(shapes.value(), window, blend, writeAs, format,
                            new Path(targetDir), conf.value().value()).stitch(sorted).iterator())
                    .collect();
            spark.sparkContext().setJobDescription(null);
            double secs = (System.nanoTime() - t0) / 1e9;
            Map<String, Object> metrics = new LinkedHashMap<>();
            metrics.put("samples", written.size());
            metrics.put("what", what.name().toLowerCase(Locale.ROOT));
            metrics.put("format", format);
            metrics.put("blend", blend.name().toLowerCase(Locale.ROOT));
            metrics.put("wall_s", Math.round(secs * 10) / 10.0);
            metrics.put("heap_mb_per_sample", Math.round(memory.perSampleBytes() / 1048576.0 * 10) / 10.0);
            metrics.put("samples_at_once", memory.concurrent());
            LOG.info("reassemble: {} samples -> {}", written.size(), target);
            return metrics;
        });
    }

    /**
     * What one executor can stitch at once: local mode measures this JVM, a cluster one of its executors (the
     * heap an executor really gets after its launcher's overheads).
     */
    private static ReassemblyMemory planMemory(SparkSession spark, Map<String, int[]> geometry, int[] window,
                                               long patchBytes) {
        SparkContext sc = spark.sparkContext();
        SparkConf conf = sc.getConf();
        long heap;
        int slots;
        if (sc.isLocal()) {
            heap = Runtime.getRuntime().maxMemory();
            slots = sc.defaultParallelism();
        } else {
            heap = JavaSparkContext.fromSparkContext(sc).parallelize(List.of(0), 1)
                    .map(i -> Runtime.getRuntime().maxMemory()).first();
            int executors = Math.max(1, sc.getExecutorMemoryStatus().size() - 1);
            int cores = conf.getInt("spark.executor.cores", Math.max(1, sc.defaultParallelism() / executors));
            slots = Math.max(1, cores / conf.getInt("spark.task.cpus", 1));
        }
        ReassemblyMemory plan = ReassemblyMemory.plan(geometry.values(), window, patchBytes, heap,
                conf.getDouble("spark.memory.fraction", 0.6), slots);
        if (plan.perSampleBytes() > plan.budgetBytes()) {
            LOG.warn("reassemble: a sample needs about {} MB of heap, more than the {} MB Spark leaves to user code; "
                            + "stitching one at a time{}", plan.perSampleBytes() >> 20, plan.budgetBytes() >> 20,
                    sc.isLocal() ? "" : " (on a cluster: give executors more memory, or fewer cores, if tasks run out of it)");
        } else if (plan.concurrent() < slots) {
            LOG.warn("reassemble: a sample needs about {} MB of heap and an executor leaves {} MB to them, so {} of its "
                            + "{} task slots fit{}", plan.perSampleBytes() >> 20, plan.budgetBytes() >> 20,
                    plan.concurrent(), slots, sc.isLocal() ? "; running that many at once"
                            : "; give executors more memory, or fewer cores (spark.executor.cores), if tasks run out of it");
        }
        return plan;
    }

    /** Local mode: as many partitions as samples may be stitched at once, which caps the concurrent tasks. */
    private static int partitions(SparkSession spark, ReassemblyMemory memory) {
        SparkContext sc = spark.sparkContext();
        return sc.isLocal() ? memory.concurrent() : Math.max(1, sc.defaultParallelism());
    }
}
