package io.sparkcae.jobs.encode;

import io.sparkcae.core.config.SparkCaeConf;
import io.sparkcae.core.config.DataConf;
import io.sparkcae.core.tensor.InputCorruption;
import io.sparkcae.jobs.common.BroadcastModel;
import io.sparkcae.jobs.common.Fingerprint;
import io.sparkcae.jobs.common.ModelInputs;
import io.sparkcae.jobs.common.ModelStore;
import io.sparkcae.jobs.scoring.PatchScorer;
import io.sparkcae.jobs.scoring.PatchScorer.Output;
import io.sparkcae.prep.dataset.PatchSchema;
import io.sparkcae.jobs.common.StageContext;
import io.sparkcae.jobs.common.StageRunner;
import io.sparkcae.prep.dataset.PatchDataset;
import io.sparkcae.prep.dataset.Split;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.Path;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

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
    /** The latents' per-patch reconstruction MSE column (users' contract: id, split, label, z, recon_mse). */
    public static final String RECON_MSE = "recon_mse";
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
        return StageRunner.run(ctx, StageContext.ENCODE_DIR, fingerprint, hadoop, dir ->
                BroadcastModel.using(spark, loaded.model(), bm -> write(spark, conf, patches, loaded, bm, dir)));
    }

    private static Map<String, Object> write(SparkSession spark, SparkCaeConf conf, PatchDataset patches,
                                             ModelStore.Loaded loaded, BroadcastModel bm, String dir) {
        long t0 = System.nanoTime();
        String latentsDir = new Path(dir, "latents").toString();
        spark.sparkContext().setJobDescription("sparkcae encode: latents + reconstruction error");
        InputCorruption corruption = conf.encode().corruptInput() ? new InputCorruption(conf.train().corruption(),
                conf.train().noiseLevel(), loaded.metadata().normalization() != DataConf.Normalization.STANDARDIZE) : null;
        new PatchScorer(bm, loaded.metadata().normalizer(), corruption, conf.encode().batchSize(), Set.of(Output.LATENT))
                .score(spark, patches.rows())
                .select(col(PatchSchema.ID), col(PatchSchema.SPLIT), col(PatchSchema.LABEL), col(PatchScorer.LATENT),
                        col(PatchScorer.MSE).as(RECON_MSE))
                .write().parquet(latentsDir);
        double seconds = (System.nanoTime() - t0) / 1e9;

        Dataset<Row> written = spark.read().parquet(latentsDir);
        Row all = written.agg(count("*")).first();
        Row test = written.filter(col("split").equalTo(Split.TEST.columnValue()))
                .agg(avg(col(RECON_MSE)), avg(log10(col(RECON_MSE)).multiply(-10.0)), count("*")).first();
        spark.sparkContext().setJobDescription(null);
        Map<String, Object> metrics = new LinkedHashMap<>();
        metrics.put("test_mse", test.getDouble(0));
        metrics.put("test_psnr", test.getDouble(1));
        metrics.put("test_patches", test.getLong(2));
        metrics.put("patches", all.getLong(0));
        metrics.put("latent_size", loaded.metadata().latentSize());
        metrics.put("wall_s", Math.round(seconds * 10) / 10.0);
        metrics.put("patches_per_s", Math.round(all.getLong(0) / seconds));
        LOG.info(String.format(Locale.ROOT, "encode: %d patches; test MSE %.5f, test PSNR %.2f dB",
                all.getLong(0), test.getDouble(0), test.getDouble(1)));
        return metrics;
    }
}
