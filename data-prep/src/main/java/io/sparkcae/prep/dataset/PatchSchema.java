package io.sparkcae.prep.dataset;

import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructField;
import org.apache.spark.sql.types.StructType;

/**
 * The patch dataset contract (schema version {@value #VERSION}); change it only with a version bump.
 * {@code data} holds the patch as little-endian float32 in C-order, so readers decode it in bulk.
 */
public final class PatchSchema {
    public static final int VERSION = 1;
    public static final String ID = "id";
    public static final String SOURCE = "source";
    public static final String SPLIT = "split";
    public static final String LABEL = "label";
    public static final String ORIGIN = "origin";
    public static final String SHAPE = "shape";
    public static final String DATA = "data";

    public static final StructType SCHEMA = new StructType(new StructField[]{
            DataTypes.createStructField(ID, DataTypes.StringType, false),
            DataTypes.createStructField(SOURCE, DataTypes.StringType, false),
            DataTypes.createStructField(SPLIT, DataTypes.StringType, false),
            DataTypes.createStructField(LABEL, DataTypes.IntegerType, true),
            DataTypes.createStructField(ORIGIN, DataTypes.createArrayType(DataTypes.IntegerType, false), false),
            DataTypes.createStructField(SHAPE, DataTypes.createArrayType(DataTypes.IntegerType, false), false),
            DataTypes.createStructField(DATA, DataTypes.BinaryType, false)});

    private PatchSchema() {
    }

    /** The values of an array&lt;int&gt; column ({@link #ORIGIN}, {@link #SHAPE}) as read from a Row. */
    public static int[] ints(java.util.List<?> column) {
        int[] a = new int[column.size()];
        for (int i = 0; i < a.length; i++) {
            a[i] = ((Number) column.get(i)).intValue();
        }
        return a;
    }
}
