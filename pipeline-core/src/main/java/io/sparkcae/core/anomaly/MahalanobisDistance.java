package io.sparkcae.core.anomaly;

import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

import java.io.Serializable;

/**
 * Mahalanobis distance sqrt((z − μ)ᵀ (Σ + λI)⁻¹ (z − μ)) of latent vectors to a fitted mean μ and covariance Σ.
 * The ridge λ is a fraction of the mean variance trace(Σ)/d, so it means the same at any latent scale and
 * makes a singular Σ (a collapsed latent dimension, fewer rows than dimensions) invertible.
 *
 * <p>Fitting factors Σ + λI = L Lᵀ (Cholesky) and keeps the whitening matrix W = L⁻¹, so the distance is the
 * Euclidean norm of W (z − μ): one matrix product per batch (ND4J BLAS, double precision) rather than a
 * solve per vector. Plain Java does the factorisation: latents have tens to a few thousand dimensions.
 */
public final class MahalanobisDistance implements Serializable {
    private static final long serialVersionUID = 1L;

    private final int dims;
    private final double[] mean;
    /** L⁻¹, lower triangular, C order d x d. */
    private final double[] whitening;
    private final double ridge;

    private MahalanobisDistance(int dims, double[] mean, double[] whitening, double ridge) {
        this.dims = dims;
        this.mean = mean;
        this.whitening = whitening;
        this.ridge = ridge;
    }

    /**
     * @param mean          d column means
     * @param covariance    d x d, C order, symmetric
     * @param relativeRidge λ as a fraction of trace(Σ)/d (an all-zero Σ gets λ = relativeRidge)
     * @throws IllegalArgumentException when Σ + λI is not positive definite (NaN entries, λ too small for
     *                                  a Σ that is not positive semi-definite)
     */
    public static MahalanobisDistance fit(double[] mean, double[] covariance, double relativeRidge) {
        int d = mean.length;
        if (covariance.length != d * d) {
            throw new IllegalArgumentException("covariance has " + covariance.length + " entries, expected " + d * d);
        }
        double trace = 0;
        for (int i = 0; i < d; i++) {
            trace += covariance[i * d + i];
        }
        double scale = trace > 0 ? trace / d : 1.0;
        double lambda = relativeRidge * scale;
        double[] a = covariance.clone();
        for (int i = 0; i < d; i++) {
            a[i * d + i] += lambda;
        }
        double[] l = cholesky(a, d);
        return new MahalanobisDistance(d, mean.clone(), invertLower(l, d), lambda);
    }

    public int dims() {
        return dims;
    }

    /** The absolute ridge λ that was added to the diagonal. */
    public double ridge() {
        return ridge;
    }

    public double distance(float[] z) {
        return distances(new float[][]{z})[0];
    }

    /** One distance per row of {@code z} (each of {@link #dims()} values). */
    public double[] distances(float[][] z) {
        int n = z.length;
        if (n == 0) {
            return new double[0];
        }
        double[] centred = new double[n * dims];
        for (int r = 0; r < n; r++) {
            if (z[r].length != dims) {
                throw new IllegalArgumentException("latent has " + z[r].length + " values, expected " + dims);
            }
            for (int j = 0; j < dims; j++) {
                centred[r * dims + j] = z[r][j] - mean[j];
            }
        }
        INDArray x = Nd4j.create(centred, new long[]{n, dims}, 'c');
        INDArray w = Nd4j.create(whitening, new long[]{dims, dims}, 'c');
        // rows of X Wᵀ are W (z − μ); the distance is each row's norm
        INDArray y = x.mmul(w.transpose());
        if (y.dataType() != DataType.DOUBLE) {
            y = y.castTo(DataType.DOUBLE);
        }
        return y.norm2(1).toDoubleVector();
    }

    /** Lower-triangular L with A = L Lᵀ; A is d x d, C order. */
    static double[] cholesky(double[] a, int d) {
        double[] l = new double[d * d];
        for (int i = 0; i < d; i++) {
            for (int j = 0; j <= i; j++) {
                double s = a[i * d + j];
                for (int k = 0; k < j; k++) {
                    s -= l[i * d + k] * l[j * d + k];
                }
                if (i == j) {
                    if (!(s > 0)) {
                        throw new IllegalArgumentException("covariance plus ridge is not positive definite (pivot "
                                + s + " at dimension " + i + ")");
                    }
                    l[i * d + i] = Math.sqrt(s);
                } else {
                    l[i * d + j] = s / l[j * d + j];
                }
            }
        }
        return l;
    }

    /** L⁻¹ of a lower-triangular L with a positive diagonal, by forward substitution column by column. */
    static double[] invertLower(double[] l, int d) {
        double[] inv = new double[d * d];
        for (int c = 0; c < d; c++) {
            inv[c * d + c] = 1.0 / l[c * d + c];
            for (int i = c + 1; i < d; i++) {
                double s = 0;
                for (int k = c; k < i; k++) {
                    s -= l[i * d + k] * inv[k * d + c];
                }
                inv[i * d + c] = s / l[i * d + i];
            }
        }
        return inv;
    }
}
