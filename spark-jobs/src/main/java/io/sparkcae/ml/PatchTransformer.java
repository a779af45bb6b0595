package io.sparkcae.ml;

import io.sparkcae.core.config.ConfKey;
import io.sparkcae.core.config.DataConf;
import io.sparkcae.core.config.PatchConf;
import io.sparkcae.core.config.ConfKeys;
import io.sparkcae.core.error.SparkCaeException;
import io.sparkcae.prep.dataset.PatchSchema;
import io.sparkcae.prep.dataset.SplitAssigner;
import io.sparkcae.prep.patching.PatchExtractor;
import org.apache.spark.ml.Transformer;
import org.apache.spark.ml.param.DoubleParam;
import org.apache.spark.ml.param.IntArrayParam;
import org.apache.spark.ml.param.IntParam;
import org.apache.spark.ml.param.Param;
import org.apache.spark.ml.param.ParamMap;
import org.apache.spark.ml.param.ParamValidators;
import org.apache.spark.ml.util.DefaultParamsReader;
import org.apache.spark.ml.util.DefaultParamsWritable;
import org.apache.spark.ml.util.Identifiable$;
import org.apache.spark.ml.util.MLReader;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.types.ArrayType;
import org.apache.spark.sql.types.DataType;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.element_at;
import static org.apache.spark.sql.functions.lit;
import static org.apache.spark.sql.functions.split;

/**
 * Turns a DataFrame of images or volumes into patch rows ({@link PatchSchema}: {@code id, source, split,
 * label, origin, shape, data}), the input {@link CaeEstimator} fits on and {@link CaeModel} transforms,
 * with the prep stage's decoders, sliding-window extractor, patch ids and hash-based split assignment.
 * One input row becomes one patch per window, so the input columns are replaced, not kept.
 *
 * <p>The sample column ({@link #inputCol}, default {@code content}) may be
 * <ul>
 *   <li>binary: an image file's bytes, as Spark's {@code binaryFile} source reads them (PNG, JPEG, TIFF, BMP);</li>
 *   <li>a struct of Spark's {@code image} source ({@code image} column, 8-bit, BGR order);</li>
 *   <li>array&lt;float&gt; or array&lt;double&gt;: raw values in C-order, with their shape (C, [D,] H, W)
 *       in {@link #shapeCol} (array&lt;int&gt;): volumes and fields.</li>
 * </ul>
 * The sample's source name comes from {@link #sourceCol} (default {@code path}; a path is reduced to its
 * file name, as prep names sources; for the {@code image} source the image's own origin is used when the
 * column is absent); an int {@link #labelCol} is carried when present. Patch size, stride, edge policy,
 * variance filter, image channels and split fractions are the config keys of the same names.
 */
public final class PatchTransformer extends Transformer implements DefaultParamsWritable {
    private static final long serialVersionUID = 1L;
    private final String uid;
    private final Param<String> inputCol;
    private final Param<String> sourceCol;
    private final Param<String> labelCol;
    private final Param<String> shapeCol;
    private final IntArrayParam patchSize;
    private final IntArrayParam patchStride;
    private final Param<String> edge;
    private final DoubleParam minVariance;
    private final IntParam channels;
    private final DoubleParam valFraction;
    private final DoubleParam testFraction;

    public PatchTransformer() {
        this(Identifiable$.MODULE$.randomUID("patchTransformer"));
    }

    public PatchTransformer(String uid) {
        this.uid = uid;
        inputCol = column("inputCol", "the sample column: image file bytes, an image struct or a value array",
                "content");
        sourceCol = column("sourceCol", "the column naming each sample's source (a path: its file name is used)",
                "path");
        labelCol = column("labelCol", "an int label column carried into the patches, when present", "label");
        shapeCol = column("shapeCol", "the shape (C, [D,] H, W) of array samples", "shape");
        patchSize = new IntArrayParam(this, "patchSize", doc("window [h, w] or [d, h, w]; [] = the whole sample",
                ConfKeys.PATCH_SIZE));
        setDefault(patchSize, ConfKeys.PATCH_SIZE.defaultValue());
        patchStride = new IntArrayParam(this, "patchStride", doc("window step per axis; [] = the window size",
                ConfKeys.PATCH_STRIDE));
        setDefault(patchStride, ConfKeys.PATCH_STRIDE.defaultValue());
        List<String> edges = Arrays.asList(ConfKey.spellings(PatchConf.EdgePolicy.class));
        edge = new Param<>(this, "edge", doc("windows crossing the far edge: " + String.join(" | ", edges),
                ConfKeys.PATCH_EDGE), ParamValidators.inArray(edges));
        setDefault(edge, ConfKeys.PATCH_EDGE.defaultValue());
        minVariance = new DoubleParam(this, "minVariance", doc("skip patches of lower variance (background)",
                ConfKeys.PATCH_MIN_VARIANCE), ParamValidators.gtEq(0));
        setDefault(minVariance, ConfKeys.PATCH_MIN_VARIANCE.defaultValue());
        channels = new IntParam(this, "channels", doc("image channels: 1 (grayscale) or 3 (RGB)",
                ConfKeys.IMAGE_CHANNELS), ParamValidators.inArray(Arrays.asList(1, 3)));
        setDefault(channels, ConfKeys.IMAGE_CHANNELS.defaultValue());
        valFraction = new DoubleParam(this, "valFraction", doc("share of patches assigned to the val split",
                ConfKeys.VAL_FRACTION), ParamValidators.inRange(0, 1, true, false));
        setDefault(valFraction, ConfKeys.VAL_FRACTION.defaultValue());
        testFraction = new DoubleParam(this, "testFraction", doc("share of patches assigned to the test split",
                ConfKeys.TEST_FRACTION), ParamValidators.inRange(0, 1, true, false));
        setDefault(testFraction, ConfKeys.TEST_FRACTION.defaultValue());
    }

    private static String doc(String what, ConfKey<?> key) {
        return what + " (config key " + key + ")";
    }

    private Param<String> column(String name, String doc, String dflt) {
        Param<String> p = new Param<>(this, name, doc);
        setDefault(p, dflt);
        return p;
    }

    public Param<String> inputCol() {
        return inputCol;
    }

    public Param<String> sourceCol() {
        return sourceCol;
    }

    public Param<String> labelCol() {
        return labelCol;
    }

    public Param<String> shapeCol() {
        return shapeCol;
    }

    public IntArrayParam patchSize() {
        return patchSize;
    }

    public IntArrayParam patchStride() {
        return patchStride;
    }

    public Param<String> edge() {
        return edge;
    }

    public DoubleParam minVariance() {
        return minVariance;
    }

    public IntParam channels() {
        return channels;
    }

    public DoubleParam valFraction() {
        return valFraction;
    }

    public DoubleParam testFraction() {
        return testFraction;
    }

    public PatchTransformer setInputCol(String v) {
        set(inputCol, v);
        return this;
    }

    public PatchTransformer setSourceCol(String v) {
        set(sourceCol, v);
        return this;
    }

    public PatchTransformer setLabelCol(String v) {
        set(labelCol, v);
        return this;
    }

    public PatchTransformer setShapeCol(String v) {
        set(shapeCol, v);
        return this;
    }

    public PatchTransformer setPatchSize(int[] v) {
        set(patchSize, v);
        return this;
    }

    public PatchTransformer setPatchStride(int[] v) {
        set(patchStride, v);
        return this;
    }

    public PatchTransformer setEdge(String v) {
        set(edge, v);
        return this;
    }

    public PatchTransformer setMinVariance(double v) {
        set(minVariance, v);
        return this;
    }

    public PatchTransformer setChannels(int v) {
        set(channels, v);
        return this;
    }

    public PatchTransformer setValFraction(double v) {
        set(valFraction, v);
        return this;
    }

    public PatchTransformer setTestFraction(double v) {
        set(testFraction, v);
        return this;
    }

    @Override
    public String uid() {
        return uid;
    }

    @Override
    public Dataset<Row> transform(Dataset<?> dataset) {
        Dataset<Row> rows = dataset.toDF();
        PatchRows.Input kind = inputKind(rows.schema());
        List<String> present = Arrays.asList(rows.columns());
        String input = getOrDefault(inputCol);
        String sourceName = getOrDefault(sourceCol);
        Column source;
        if (present.contains(sourceName)) {
            // a path's file name, as prep names the sources of an image folder
            source = element_at(split(col(sourceName).cast(DataTypes.StringType), "/"), -1);
        } else if (kind == PatchRows.Input.SPARK_IMAGE) {
            source = element_at(split(col(input).getField("origin"), "/"), -1);
        } else {
            throw SparkCaeException.usage("PatchTransformer: no source column '" + sourceName + "' (set sourceCol)");
        }
        String labelName = getOrDefault(labelCol);
        Column label = present.contains(labelName) ? col(labelName).cast(DataTypes.IntegerType)
                : lit(null).cast(DataTypes.IntegerType);
        List<Column> cols = new ArrayList<>(List.of(source, label, col(input)));
        if (kind == PatchRows.Input.FLOAT_ARRAY || kind == PatchRows.Input.DOUBLE_ARRAY) {
            String shapeName = getOrDefault(shapeCol);
            if (!present.contains(shapeName)) {
                throw SparkCaeException.usage("PatchTransformer: array samples need their shape in column '"
                        + shapeName + "' (set shapeCol)");
            }
            cols.add(col(shapeName));
        }
        PatchExtractor extractor = new PatchExtractor(getOrDefault(patchSize), getOrDefault(patchStride),
                PatchConf.EdgePolicy.valueOf(getOrDefault(edge).toUpperCase(java.util.Locale.ROOT).replace('-', '_')),
                (Double) getOrDefault(minVariance), 0, DataConf.NanPolicy.FAIL, 0);
        SplitAssigner splits = new SplitAssigner((Double) getOrDefault(valFraction), (Double) getOrDefault(testFraction),
                "");
        PatchRows fn = new PatchRows(kind, (Integer) getOrDefault(channels), extractor, splits);
        return rows.sparkSession().createDataFrame(rows.select(cols.toArray(Column[]::new)).javaRDD().flatMap(fn),
                PatchSchema.SCHEMA);
    }

    private PatchRows.Input inputKind(StructType schema) {
        String input = getOrDefault(inputCol);
        if (!Arrays.asList(schema.fieldNames()).contains(input)) {
            throw SparkCaeException.usage("PatchTransformer: no input column '" + input + "' (columns: "
                    + String.join(", ", schema.fieldNames()) + "); set inputCol");
        }
        DataType t = schema.apply(input).dataType();
        if (t instanceof org.apache.spark.sql.types.BinaryType) {
            return PatchRows.Input.FILE_BYTES;
        }
        if (t instanceof StructType s && Arrays.asList(s.fieldNames()).containsAll(
                List.of("origin", "height", "width", "nChannels", "data"))) {
            return PatchRows.Input.SPARK_IMAGE;
        }
        if (t instanceof ArrayType a && a.elementType() == DataTypes.FloatType) {
            return PatchRows.Input.FLOAT_ARRAY;
        }
        if (t instanceof ArrayType a && a.elementType() == DataTypes.DoubleType) {
            return PatchRows.Input.DOUBLE_ARRAY;
        }
        throw SparkCaeException.usage("PatchTransformer: input column '" + input + "' is " + t.simpleString()
                + "; expected binary (image file bytes), an image struct, or array<float|double> with a shape column");
    }

    @Override
    public StructType transformSchema(StructType schema) {
        inputKind(schema);
        return PatchSchema.SCHEMA;
    }

    @Override
    public PatchTransformer copy(ParamMap extra) {
        return (PatchTransformer) defaultCopy(extra);
    }

    public static MLReader<PatchTransformer> read() {
        return new DefaultParamsReader<>();
    }

    public static PatchTransformer load(String path) {
        return read().load(path);
    }
}
