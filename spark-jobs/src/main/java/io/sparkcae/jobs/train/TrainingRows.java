package io.sparkcae.jobs.train;

import io.sparkcae.prep.dataset.PatchSchema;
import org.apache.spark.api.java.JavaRDD;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.storage.StorageLevel;
import scala.Tuple2;

import static org.apache.spark.sql.functions.col;

/**
 * The training split as one cached RDD of (id, patch bytes), hash-partitioned by id into one partition per
 * worker. Partition membership and (after sorting by id) order depend only on the ids, never on shuffle
 * fetch order, which is what makes a seeded local run reproducible.
 */
final class TrainingRows {
    private TrainingRows() {
    }

    static JavaRDD<Tuple2<String, byte[]>> cache(Dataset<Row> split, int workers) {
        return split.select(col(PatchSchema.ID), col(PatchSchema.DATA))
                .repartition(workers, col(PatchSchema.ID))
                .sortWithinPartitions(col(PatchSchema.ID))
                .javaRDD()
                .map(r -> new Tuple2<>(r.getString(0), (byte[]) r.get(1)))
                .persist(StorageLevel.MEMORY_AND_DISK());
    }
}
