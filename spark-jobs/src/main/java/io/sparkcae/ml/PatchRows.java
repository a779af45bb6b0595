package io.sparkcae.ml;

import io.sparkcae.core.error.SparkCaeException;
import io.sparkcae.core.tensor.FloatCodec;
import io.sparkcae.core.tensor.PatchShape;
import io.sparkcae.prep.dataset.PatchIds;
import io.sparkcae.prep.dataset.PatchSchema;
import io.sparkcae.prep.dataset.SplitAssigner;
import io.sparkcae.prep.patching.PatchExtractor;
import io.sparkcae.prep.readers.ImageSamples;
import io.sparkcae.prep.readers.Sample;
import org.apache.spark.api.java.function.FlatMapFunction;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;

import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;

/**
 * Spark task body of {@link PatchTransformer}: one input row (source, label, sample, [shape]) to its
 * patch-schema rows, with prep's patch extractor, ids and split assignment.
 */
final class PatchRows implements FlatMapFunction<Row, Row> {
    private static final long serialVersionUID = 1L;

    /** How the sample column holds the sample. */
    enum Input { FILE_BYTES, SPARK_IMAGE, FLOAT_ARRAY, DOUBLE_ARRAY }

    private final Input input;
    private final int channels;
    private final PatchExtractor extractor;
    private final SplitAssigner splits;

    PatchRows(Input input, int channels, PatchExtractor extractor, SplitAssigner splits) {
        this.input = input;
        this.channels = channels;
        this.extractor = extractor;
        this.splits = splits;
    }

    /** @param row source (string), label (int or null), sample, and for arrays the shape (array&lt;int&gt;) */
    @Override
    public Iterator<Row> call(Row row) {
        if (row.isNullAt(0) || row.isNullAt(2)) {
            throw SparkCaeException.badData("PatchTransformer: a row without source name or sample");
        }
        String source = row.getString(0);
        Integer label = row.isNullAt(1) ? null : ((Number) row.get(1)).intValue();
        Sample s = sample(source, label, row);
        List<PatchExtractor.Patch> patches = extractor.extract(source, s.index(), s.shape(), s.data()).patches();
        List<Row> out = new ArrayList<>(patches.size());
        for (PatchExtractor.Patch p : patches) {
            String id = PatchIds.of(source, s.index(), p.origin(), extractor.wholeSample());
            out.add(RowFactory.create(id, source, splits.assign(source, id).columnValue(), label,
                    boxed(p.origin()), boxed(p.shape().dims()), FloatCodec.encode(p.data())));
        }
        return out.iterator();
    }

    private Sample sample(String source, Integer label, Row row) {
        switch (input) {
            case FILE_BYTES:
                return ImageSamples.fromFileBytes(source, (byte[]) row.get(2), label, channels);
            case SPARK_IMAGE: {
                Row img = row.getStruct(2);
                return ImageSamples.fromBgrPixels(source, (byte[]) img.get(img.fieldIndex("data")),
                        img.getInt(img.fieldIndex("height")), img.getInt(img.fieldIndex("width")),
                        img.getInt(img.fieldIndex("nChannels")), label, channels);
            }
            default: {
                if (row.isNullAt(3)) {
                    throw SparkCaeException.badData("PatchTransformer: " + source + " has no shape");
                }
                PatchShape shape = PatchShape.of(PatchSchema.ints(row.getList(3)));
                List<?> values = row.getList(2);
                if (values.size() != shape.elementCount()) {
                    throw SparkCaeException.badData("PatchTransformer: " + source + " holds " + values.size()
                            + " values but its shape " + shape + " needs " + shape.elementCount());
                }
                float[] data = new float[values.size()];
                for (int i = 0; i < data.length; i++) {
                    data[i] = ((Number) values.get(i)).floatValue();
                }
                return new Sample(source, 0, label, shape, data);
            }
        }
    }

    private static Integer[] boxed(int[] a) {
        Integer[] out = new Integer[a.length];
        for (int i = 0; i < a.length; i++) {
            out[i] = a[i];
        }
        return out;
    }
}
