package io.sparkcae.core.anomaly;

import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

import java.io.Serializable;
import java.util.HashMap;
import java.util.Map;

/**
 * k-nearest-neighbour anomaly score: the mean Euclidean distance of a latent vector to its k nearest rows
 * of a reference set (a sample of training latents). A query that is itself a reference row (same id) is
 * not its own neighbour, so training patches are scored leave-one-out instead of getting a zero distance.
 *
 * <p>Squared distances come from one matrix product per block of queries, |q|² + |r|² − 2 q·r (ND4J BLAS,
 * double precision), so a batch against ten thousand references costs milliseconds, not a Java loop over
 * every pair.
 */
public final class KnnDistance implements Serializable {
    private static final long serialVersionUID = 1L;
    /** Queries per matrix product: bounds the query x reference block to about 32 MB of doubles. */
    private static final long BLOCK_CELLS = 4_000_000L;

    private final int k;
    private final int dims;
    private final int rows;
    /** Reference rows, C order rows x dims. */
    private final float[] reference;
    private final double[] referenceNorms;
    private final Map<String, Integer> indexOfId;

    /**
     * @param reference the reference latents, one per row, all of the same length
     * @param ids       their ids (same order), so a query with one of them skips that row
     * @param k         neighbours averaged; must be less than the number of reference rows
     */
    public KnnDistance(float[][] reference, String[] ids, int k) {
        if (reference.length != ids.length) {
            throw new IllegalArgumentException(reference.length + " reference rows but " + ids.length + " ids");
        }
        if (k < 1 || k >= reference.length) {
            throw new IllegalArgumentException("k must be in 1.." + (reference.length - 1) + " for "
                    + reference.length + " reference rows, got " + k);
        }
        this.k = k;
        this.rows = reference.length;
        this.dims = reference[0].length;
        this.reference = new float[rows * dims];
        this.referenceNorms = new double[rows];
        this.indexOfId = new HashMap<>(rows * 2);
        for (int r = 0; r < rows; r++) {
            if (reference[r].length != dims) {
                throw new IllegalArgumentException("reference row " + r + " has " + reference[r].length
                        + " values, expected " + dims);
            }
            double norm = 0;
            for (int j = 0; j < dims; j++) {
                this.reference[r * dims + j] = reference[r][j];
                norm += (double) reference[r][j] * reference[r][j];
            }
            referenceNorms[r] = norm;
            indexOfId.put(ids[r], r);
        }
    }

    public int k() {
        return k;
    }

    public int referenceRows() {
        return rows;
    }

    /** Mean distance of each query to its k nearest reference rows other than the one with its own id. */
    public double[] meanDistances(float[][] queries, String[] ids) {
        int n = queries.length;
        double[] out = new double[n];
        if (n == 0) {
            return out;
        }
        INDArray ref = Nd4j.create(toDouble(reference), new long[]{rows, dims}, 'c');
        int block = (int) Math.max(1, Math.min(n, BLOCK_CELLS / rows));
        for (int start = 0; start < n; start += block) {
            int m = Math.min(block, n - start);
            double[] q = new double[m * dims];
            double[] qNorms = new double[m];
            for (int i = 0; i < m; i++) {
                float[] row = queries[start + i];
                if (row.length != dims) {
                    throw new IllegalArgumentException("latent has " + row.length + " values, expected " + dims);
                }
                for (int j = 0; j < dims; j++) {
                    q[i * dims + j] = row[j];
                    qNorms[i] += (double) row[j] * row[j];
                }
            }
            INDArray dots = Nd4j.create(q, new long[]{m, dims}, 'c').mmul(ref.transpose());
            if (dots.dataType() != DataType.DOUBLE) {
                dots = dots.castTo(DataType.DOUBLE);
            }
            double[] g = dots.dup('c').data().asDouble();
            double[] squared = new double[rows];
            for (int i = 0; i < m; i++) {
                for (int r = 0; r < rows; r++) {
                    squared[r] = Math.max(0, qNorms[i] + referenceNorms[r] - 2 * g[i * rows + r]);
                }
                Integer self = ids == null ? null : indexOfId.get(ids[start + i]);
                out[start + i] = meanOfSmallestRoots(squared, self == null ? -1 : self);
            }
        }
        return out;
    }

    /** Mean of sqrt of the k smallest values, skipping index {@code skip}: an insertion into a sorted k-array. */
    private double meanOfSmallestRoots(double[] squared, int skip) {
        double[] best = new double[k];
        java.util.Arrays.fill(best, Double.POSITIVE_INFINITY);
        for (int r = 0; r < squared.length; r++) {
            double v = squared[r];
            if (r == skip || v >= best[k - 1]) {
                continue;
            }
            int p = k - 1;
            while (p > 0 && best[p - 1] > v) {
                best[p] = best[p - 1];
                p--;
            }
            best[p] = v;
        }
        double sum = 0;
        for (double v : best) {
            sum += Math.sqrt(v);
        }
        return sum / k;
    }

    private static double[] toDouble(float[] f) {
        double[] d = new double[f.length];
        for (int i = 0; i < f.length; i++) {
            d[i] = f[i];
        }
        return d;
    }
}
