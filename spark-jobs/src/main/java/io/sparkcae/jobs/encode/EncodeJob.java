package io.sparkcae.jobs.encode;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.sparkcae.core.config.SparkCaeConf;
import io.sparkcae.core.config.DataConf;
import io.sparkcae.core.tensor.InputCorruption;
import io.sparkcae.jobs.common.BroadcastModel;
import io.sparkcae.jobs.common.Fingerprint;
import io.sparkcae.jobs.common.ModelInputs;
import io.sparkcae.jobs.common.ModelStore;
import io.sparkcae.jobs.common.PatchInference;
import io.sparkcae.jobs.common.RunFiles;
import io.sparkcae.jobs.common.StageContext;
import io.sparkcae.jobs.common.StageOutput;
import io.sparkcae.prep.dataset.PatchDataset;
import io.sparkcae.prep.dataset.Split;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.Path;
import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;

import static org.apache.spark.sql.functions.avg;
import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.count;
import static org.apache.spark.sql.functions.log10;

/**
 * The encode stage: runs the trained model over every patch (model broadcast once, batches per partition)
 * and commits {@code <run-dir>/encode}: {@code latents/} (Parquet: id, split, label, z, recon_mse) and
 * {@code metrics.json} with the test split's mean MSE and PSNR.
 */
public final class EncodeJob {
    private static final Logger LOG = LoggerFactory.getLogger(EncodeJob.class);

    private EncodeJob() {
    }

    public static Map<String, Object> run(SparkSession spark, StageContext ctx, String modelDir) throws Exception {
        SparkCaeConf conf = ctx.conf();
        Configuration hadoop = spark.sparkContext().hadoopConfiguration();
        ModelInputs inputs = ModelInputs.load(spark, ctx, modelDir);
        PatchDataset patches = inputs.patches();
        ModelStore.Loaded loaded = inputs.model();
        patches.split(Split.TEST, "encode's test metrics");
        String fingerprint = Fingerprint.of("encode", conf.toJson(), inputs.inputsFingerprint());
        StageOutput out = StageOutput.begin(ctx.stageDir(StageContext.ENCODE_DIR), fingerprint, ctx.ifExists(), hadoop);
        if (out == null) {
            return Map.of("skipped", true);
        }
        BroadcastModel bm = null;
        try {
            long t0 = System.nanoTime();
            JavaSparkContext jsc = JavaSparkContext.fromSparkContext(spark.sparkContext());
            bm = BroadcastModel.of(jsc, loaded.model());
            String latentsDir = new Path(out.tmpDir(), "latents").toString();
            spark.sparkContext().setJobDescription("sparkcae encode: latents + reconstruction error");
            spark.createDataFrame(PatchInference.run(patches.rows(), bm, loaded.metadata().normalizer(),
                    conf.encode().corruptInput() ? new InputCorruption(conf.train().corruption(), conf.train().noiseLevel(),
                            loaded.metadata().normalization() != DataConf.Normalization.STANDARDIZE) : null,
                    conf.encode().batchSize(), true),
                    PatchInference.OUTPUT_SCHEMA).write().parquet(latentsDir);
            double seconds = (System.nanoTime() - t0) / 1e9;

            Dataset<Row> written = spark.read().parquet(latentsDir);
            Row all = written.agg(count("*")).first();
            Row test = written.filter(col("split").equalTo(Split.TEST.columnValue()))
                    .agg(avg(col("recon_mse")), avg(log10(col("recon_mse")).multiply(-10.0)), count("*")).first();
            spark.sparkContext().setJobDescription(null);
            Map<String, Object> metrics = new LinkedHashMap<>();
            metrics.put("test_mse", test.getDouble(0));
            metrics.put("test_psnr", test.getDouble(1));
            metrics.put("test_patches", test.getLong(2));
            metrics.put("patches", all.getLong(0));
            metrics.put("latent_size", loaded.metadata().latentSize());
            metrics.put("wall_s", Math.round(seconds * 10) / 10.0);
            metrics.put("patches_per_s", Math.round(all.getLong(0) / seconds));
            RunFiles.writeString(out.tmpDir(), "metrics.json",
                    new ObjectMapper().writerWithDefaultPrettyPrinter().writeValueAsString(metrics), hadoop);
            out.commit();
            LOG.info(String.format(Locale.ROOT, "encode: %d patches -> %s; test MSE %.5f, test PSNR %.2f dB",
                    all.getLong(0), out.finalDir(), test.getDouble(0), test.getDouble(1)));
            return metrics;
        } catch (Exception | Error e) {
            out.abort();
            throw e;
        } finally {
            if (bm != null) {
                bm.destroy();
            }
        }
    }
}
