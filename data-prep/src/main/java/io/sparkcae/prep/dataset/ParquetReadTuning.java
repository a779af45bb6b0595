package io.sparkcae.prep.dataset;

import org.apache.spark.sql.SparkSession;

/**
 * Sizes Spark's vectorised Parquet reader for patch rows. Its default batch of 4096 rows is ~13 MB of
 * 28x28 patches but ~270 MB of 4x16^3 patches per task, which alone overflows a 1 GB executor heap; the
 * batch is therefore capped at about {@value #BATCH_BYTES} bytes of patch data.
 */
public final class ParquetReadTuning {
    static final long BATCH_BYTES = 16L << 20;
    private static final String KEY = "spark.sql.parquet.columnarReaderBatchSize";

    private ParquetReadTuning() {
    }

    public static void forPatchBytes(SparkSession spark, long patchBytes) {
        long rows = Math.max(16, Math.min(4096, BATCH_BYTES / Math.max(1, patchBytes)));
        spark.conf().set(KEY, rows);
    }
}
