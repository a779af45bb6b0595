package io.sparkcae.ml;

import io.sparkcae.core.error.SparkCaeException;
import io.sparkcae.core.tensor.PatchShape;
import io.sparkcae.prep.dataset.PatchSchema;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.types.DataType;
import org.apache.spark.sql.types.StructType;

import java.util.Arrays;
import java.util.List;

import static org.apache.spark.sql.functions.col;

/** Checks that a DataFrame holds patch-schema columns of the right types, and reads its one patch shape. */
final class PatchColumns {
    private PatchColumns() {
    }

    static void require(StructType schema, String who, String... columns) {
        List<String> present = Arrays.asList(schema.fieldNames());
        for (String c : columns) {
            if (!present.contains(c)) {
                throw SparkCaeException.usage(who + ": the DataFrame has no column '" + c + "' (columns: "
                        + String.join(", ", present) + "); it needs the patch schema (PatchTransformer or"
                        + " a sparkcae prep output): " + String.join(", ", PatchSchema.SCHEMA.fieldNames()));
            }
            DataType expected = PatchSchema.SCHEMA.apply(c).dataType();
            DataType actual = schema.apply(c).dataType();
            if (!expected.sameType(actual)) {
                throw SparkCaeException.usage(who + ": column '" + c + "' is " + actual.simpleString()
                        + ", the patch schema has " + expected.simpleString());
            }
        }
    }

    /** The shape all rows share; a DataFrame of mixed or no shapes is refused (exit code 3). */
    static PatchShape singleShape(Dataset<Row> rows, String what) {
        List<Row> shapes = rows.select(col(PatchSchema.SHAPE)).distinct().limit(2).collectAsList();
        if (shapes.isEmpty()) {
            throw SparkCaeException.badData(what + ": no rows (is there a split column with \"train\" rows?)");
        }
        if (shapes.size() > 1) {
            throw SparkCaeException.badData(what + ": patches of different shapes ("
                    + shapes.get(0).getList(0) + ", " + shapes.get(1).getList(0) + "); one model takes one shape");
        }
        return PatchShape.of(PatchSchema.ints(shapes.get(0).getList(0)));
    }
}
