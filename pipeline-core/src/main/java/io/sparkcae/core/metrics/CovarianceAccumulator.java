package io.sparkcae.core.metrics;

import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

import java.io.IOException;
import java.io.ObjectOutputStream;
import java.io.Serializable;

/**
 * Mergeable accumulator of the column means and the centred scatter matrix Σ (x−μ)(x−μ)ᵀ of snapshot
 * rows, so Spark computes a POD/PCA input with one {@code treeAggregate(new CovarianceAccumulator(m),
 * add, merge)} however many rows there are. This is the covariance path of {@link PodBasis}: its state
 * is m x m doubles (m = features), so keep m ≤ ~5000 (200 MB); for more features and few snapshots use
 * {@link PodBasis#fitGram} on the collected rows instead — a Gram matrix X Xᵀ is not mergeable across
 * row partitions, because its size grows with the rows.
 *
 * <p>Rather than raw XᵀX and column sums (which cancel catastrophically when the mean is large next to
 * the spread), blocks of rows are centred on their own mean and combined with Chan et al.'s pairwise
 * update; the block product runs through ND4J's BLAS.
 */
public final class CovarianceAccumulator implements Serializable {
    private static final long serialVersionUID = 1L;
    static final int DEFAULT_BLOCK_ROWS = 256;

    private final int columns;
    private final int blockRows;
    private long count;
    private final double[] mean;
    private final double[] scatter;
    private transient double[] pending;
    private transient int pendingRows;

    public CovarianceAccumulator(int columns) {
        this(columns, DEFAULT_BLOCK_ROWS);
    }

    /** @param blockRows rows buffered before one BLAS update (small values only to exercise merging in tests) */
    CovarianceAccumulator(int columns, int blockRows) {
        if (columns <= 0 || (long) columns * columns > Integer.MAX_VALUE - 8) {
            throw new IllegalArgumentException("columns must be in 1.." + 46340 + ", got " + columns);
        }
        this.columns = columns;
        this.blockRows = blockRows;
        this.mean = new double[columns];
        this.scatter = new double[columns * columns];
    }

    public CovarianceAccumulator add(float[] row) {
        if (row.length != columns) {
            throw new IllegalArgumentException("row has " + row.length + " values, expected " + columns);
        }
        if (pending == null) {
            pending = new double[blockRows * columns];
        }
        for (int j = 0; j < columns; j++) {
            pending[pendingRows * columns + j] = row[j];
        }
        if (++pendingRows == blockRows) {
            flush();
        }
        return this;
    }

    public CovarianceAccumulator merge(CovarianceAccumulator other) {
        if (other.columns != columns) {
            throw new IllegalArgumentException("columns " + other.columns + " != " + columns);
        }
        flush();
        other.flush();
        combine(other.count, other.mean, other.scatter);
        return this;
    }

    public int columns() {
        return columns;
    }

    public long count() {
        flush();
        return count;
    }

    /** Column means of every row added so far. */
    public double[] mean() {
        flush();
        return mean.clone();
    }

    /** Unbiased covariance (scatter / (n − 1)), C-order m x m. */
    public double[] covariance() {
        flush();
        double[] c = scatter.clone();
        double d = Math.max(1, count - 1);
        for (int i = 0; i < c.length; i++) {
            c[i] /= d;
        }
        return c;
    }

    /** The centred scatter matrix itself, not copied: for {@link PodBasis} only. */
    double[] scatterView() {
        flush();
        return scatter;
    }

    private void flush() {
        if (pendingRows == 0) {
            return;
        }
        int b = pendingRows;
        double[] blockMean = new double[columns];
        for (int r = 0; r < b; r++) {
            for (int j = 0; j < columns; j++) {
                blockMean[j] += pending[r * columns + j];
            }
        }
        for (int j = 0; j < columns; j++) {
            blockMean[j] /= b;
        }
        double[] centred = new double[b * columns];
        for (int r = 0; r < b; r++) {
            for (int j = 0; j < columns; j++) {
                centred[r * columns + j] = pending[r * columns + j] - blockMean[j];
            }
        }
        INDArray x = Nd4j.create(centred, new long[]{b, columns}, 'c');
        double[] blockScatter = x.transpose().mmul(x).dup('c').data().asDouble();
        pendingRows = 0;
        combine(b, blockMean, blockScatter);
    }

    /** Chan et al.: M = Ma + Mb + δδᵀ·na·nb/n with δ = μb − μa. */
    private void combine(long nb, double[] meanB, double[] scatterB) {
        if (nb == 0) {
            return;
        }
        long na = count;
        long n = na + nb;
        double[] delta = new double[columns];
        for (int j = 0; j < columns; j++) {
            delta[j] = meanB[j] - mean[j];
        }
        double f = (double) na * nb / n;
        for (int i = 0; i < columns; i++) {
            double di = delta[i] * f;
            int row = i * columns;
            for (int j = 0; j < columns; j++) {
                scatter[row + j] += scatterB[row + j] + di * delta[j];
            }
        }
        for (int j = 0; j < columns; j++) {
            mean[j] += delta[j] * nb / n;
        }
        count = n;
    }

    /** Rows still buffered are folded in first, so a shipped accumulator never carries a half block. */
    private void writeObject(ObjectOutputStream out) throws IOException {
        flush();
        out.defaultWriteObject();
    }
}
