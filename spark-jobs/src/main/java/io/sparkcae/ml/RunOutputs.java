package io.sparkcae.ml;

import io.sparkcae.jobs.common.CommittedStage;
import io.sparkcae.jobs.common.StageContext;
import org.apache.hadoop.fs.Path;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;

/**
 * A CLI run's committed outputs, for notebooks: a stage's output lives in an attempt directory named by the
 * stage's commit marker (docs/outputs.md), so callers ask here instead of spelling paths.
 * {@code RunOutputs.patches(spark, "runs/r1")} is prep's patch dataset, ready for {@link CaeEstimator#fit}.
 */
public final class RunOutputs {
    private RunOutputs() {
    }

    /** The committed output directory of {@code stage} (prep, train, encode, score, ...) in {@code runDir}. */
    public static String dir(SparkSession spark, String runDir, String stage) {
        return CommittedStage.require(new Path(runDir, stage).toString(), stage,
                spark.sparkContext().hadoopConfiguration()).dir().toString();
    }

    /** Prep's patch dataset (the prep schema) of {@code runDir}. */
    public static Dataset<Row> patches(SparkSession spark, String runDir) {
        return spark.read().parquet(new Path(dir(spark, runDir, StageContext.PREP_DIR), StageContext.PATCHES).toString());
    }

    /** Encode's latents (id, split, label, z, recon_mse) of {@code runDir}. */
    public static Dataset<Row> latents(SparkSession spark, String runDir) {
        return spark.read().parquet(new Path(dir(spark, runDir, StageContext.ENCODE_DIR), "latents").toString());
    }
}
