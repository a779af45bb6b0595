package io.sparkcae.jobs.common;

import io.sparkcae.core.tensor.BatchAssembler;
import io.sparkcae.core.tensor.ChannelNormalizer;
import io.sparkcae.core.tensor.PatchShape;
import org.apache.spark.sql.Row;
import org.nd4j.linalg.api.ndarray.INDArray;

import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;

/**
 * Groups a partition's patch rows into batches and assembles each into one normalised tensor. Rows must
 * carry the patch bytes at {@code dataColumn}; every inference path (encode, validation, score) reads
 * patches through this one place.
 */
public final class RowBatches implements Iterator<RowBatches.Batch> {
    /** The rows of one batch and their patches as an N x C x ... tensor. */
    public record Batch(List<Row> rows, INDArray x) {
    }

    private final Iterator<Row> in;
    private final PatchShape shape;
    private final ChannelNormalizer normalizer;
    private final int batchSize;
    private final int dataColumn;

    public RowBatches(Iterator<Row> in, PatchShape shape, ChannelNormalizer normalizer, int batchSize, int dataColumn) {
        this.in = in;
        this.shape = shape;
        this.normalizer = normalizer;
        this.batchSize = batchSize;
        this.dataColumn = dataColumn;
    }

    @Override
    public boolean hasNext() {
        return in.hasNext();
    }

    @Override
    public Batch next() {
        List<Row> rows = new ArrayList<>(batchSize);
        List<byte[]> data = new ArrayList<>(batchSize);
        while (in.hasNext() && rows.size() < batchSize) {
            Row r = in.next();
            rows.add(r);
            data.add((byte[]) r.get(dataColumn));
        }
        return new Batch(rows, normalizer.apply(BatchAssembler.assemble(data, shape)));
    }
}
