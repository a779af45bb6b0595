package io.sparkcae.jobs.common;

import io.sparkcae.prep.dataset.PatchSchema;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;

import java.util.Arrays;

import static org.apache.spark.sql.functions.col;

/** Keeps patches whose label is in the list (one-class "normal" training); an empty list keeps all. */
public final class LabelFilter {
    private LabelFilter() {
    }

    public static Dataset<Row> apply(Dataset<Row> rows, int[] labels) {
        if (labels.length == 0) {
            return rows;
        }
        return rows.filter(col(PatchSchema.LABEL).isin(Arrays.stream(labels).boxed().toArray()));
    }
}
