package io.sparkcae.prep.dataset;

import io.sparkcae.core.config.ConfKeys;
import io.sparkcae.core.error.SparkCaeException;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;

import static org.apache.spark.sql.functions.col;

/** A committed patch dataset: its manifest and its rows, read only after prep committed them. */
public final class PatchDataset {
    private final String dir;
    private final Manifest manifest;
    private final Dataset<Row> rows;

    private PatchDataset(String dir, Manifest manifest, Dataset<Row> rows) {
        this.dir = dir;
        this.manifest = manifest;
        this.rows = rows;
    }

    public static PatchDataset open(SparkSession spark, String dir) {
        Manifest m = ManifestIO.read(dir, spark.sparkContext().hadoopConfiguration());
        ParquetReadTuning.forPatchBytes(spark, (long) m.shape().elementCount() * Float.BYTES);
        Dataset<Row> rows = spark.read().schema(PatchSchema.SCHEMA).parquet(dir);
        return new PatchDataset(dir, m, rows);
    }

    public String dir() {
        return dir;
    }

    public Manifest manifest() {
        return manifest;
    }

    public Dataset<Row> rows() {
        return rows;
    }

    /** Rows of one split; an empty split is a data error, since every caller needs some rows. */
    public Dataset<Row> split(Split split, String neededFor) {
        if (manifest.count(split) == 0) {
            throw SparkCaeException.badData(dir + ": the " + split.columnValue() + " split is empty, but "
                    + neededFor + " needs it (check " + ConfKeys.VAL_FRACTION + " / test-fraction / test-sources)");
        }
        return rows.filter(col(PatchSchema.SPLIT).equalTo(split.columnValue()));
    }
}
