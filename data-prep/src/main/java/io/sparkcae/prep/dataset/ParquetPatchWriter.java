package io.sparkcae.prep.dataset;

import io.sparkcae.core.metrics.ChannelStats;
import org.apache.spark.api.java.JavaRDD;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SaveMode;
import org.apache.spark.sql.SparkSession;

import java.util.HashMap;
import java.util.List;
import java.util.Map;


/**
 * Writes patch rows as Parquet into a (temporary) directory and derives what the manifest needs from the
 * written files: split counts and the train split's channel statistics. Reading back what was written,
 * rather than counting on the way, keeps the figures right even when Spark retries a task.
 */
public final class ParquetPatchWriter {
    private final SparkSession spark;

    public ParquetPatchWriter(SparkSession spark) {
        this.spark = spark;
    }

    /** Result of a write: counts per split, train statistics and the distinct patch shapes found. */
    public record Written(Map<String, Long> counts, ChannelStats trainStats, List<Row> shapes) {
    }

    /**
     * @param trainStats filled by the row producer with every train patch while this write runs (see
     *                   {@link TrainStatsAccumulator}); read once the write has finished
     */
    public Written write(JavaRDD<Row> rows, String dir, TrainStatsAccumulator trainStats) {
        Dataset<Row> df = spark.createDataFrame(rows, PatchSchema.SCHEMA);
        df.write().mode(SaveMode.ErrorIfExists).option("compression", "snappy").parquet(dir);

        // Only the small split and shape columns are read back; the patch data is never scanned here.
        Dataset<Row> written = spark.read().schema(PatchSchema.SCHEMA).parquet(dir);
        Map<String, Long> counts = new HashMap<>();
        for (Split s : Split.values()) {
            counts.put(s.columnValue(), 0L);
        }
        for (Row r : written.groupBy(PatchSchema.SPLIT).count().collectAsList()) {
            counts.put(r.getString(0), r.getLong(1));
        }
        List<Row> shapes = written.select(PatchSchema.SHAPE).distinct().limit(5).collectAsList();
        return new Written(counts, trainStats.total(), shapes);
    }
}
