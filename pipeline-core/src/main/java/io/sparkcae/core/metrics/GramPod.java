package io.sparkcae.core.metrics;

/**
 * POD by the method of snapshots from Gram products alone: the driver half of a distributed POD, where
 * the products were summed over column blocks elsewhere (Spark) and the snapshot vectors themselves never
 * come to one JVM.
 *
 * <p>With X the n x m matrix of centred train snapshots and G = X Xᵀ = V Λ Vᵀ, the singular values are
 * s_k = √λ_k and mode k is φ_k = Xᵀ v_k / s_k, i.e. the train snapshots weighted by {@link #modeWeights}.
 * A held-out snapshot y (centred on the train mean) has coefficients a_k = y·φ_k = (X y)·v_k / s_k, so
 * the cross products H = Y Xᵀ suffice, and since the modes are orthonormal its rank-k error is
 * ‖y‖² − Σ_{j≤k} a_j²: no reconstruction needed.
 */
public final class GramPod {
    private final PodSpectrum spectrum;
    private final int n;
    /** n x kept, column k = v_k / s_k: mode k = Σ_i w_ik x_i. */
    private final double[][] weights;
    /** Held-out coefficients, rows x kept. */
    private final double[][] heldOutCoefficients;
    private final double[] heldOutSquaredNorms;
    private final long features;

    private GramPod(PodSpectrum spectrum, int n, double[][] weights, double[][] heldOutCoefficients,
                    double[] heldOutSquaredNorms, long features) {
        this.spectrum = spectrum;
        this.n = n;
        this.weights = weights;
        this.heldOutCoefficients = heldOutCoefficients;
        this.heldOutSquaredNorms = heldOutSquaredNorms;
        this.features = features;
    }

    /**
     * @param gram           n x n, C-order: products of the centred train snapshots
     * @param cross          rows x n, C-order: products of each centred held-out snapshot with each train one
     * @param heldOutSquares squared norm of each centred held-out snapshot (length rows)
     * @param features       values per snapshot (m), for per-value errors
     */
    public static GramPod of(double[] gram, int n, double[] cross, double[] heldOutSquares, long features) {
        if (n < 1 || gram.length != (long) n * n) {
            throw new IllegalArgumentException("gram must be n x n with n >= 1, got " + gram.length + " values for n=" + n);
        }
        int rows = heldOutSquares.length;
        if (cross.length != (long) rows * n) {
            throw new IllegalArgumentException("cross must be " + rows + " x " + n + ", got " + cross.length + " values");
        }
        SymmetricEigen eig = SymmetricEigen.of(gram, n);
        int kept = PodSpectrum.keptModes(eig.values);
        double[] s = new double[kept];
        double[][] w = new double[n][kept];
        for (int k = 0; k < kept; k++) {
            s[k] = Math.sqrt(eig.values[k]);
            for (int i = 0; i < n; i++) {
                w[i][k] = eig.vectors[k][i] / s[k];
            }
        }
        double[][] a = new double[rows][kept];
        for (int r = 0; r < rows; r++) {
            int base = r * n;
            for (int i = 0; i < n; i++) {
                double h = cross[base + i];
                if (h != 0) {
                    double[] wi = w[i];
                    double[] ar = a[r];
                    for (int k = 0; k < kept; k++) {
                        ar[k] += h * wi[k];
                    }
                }
            }
        }
        return new GramPod(new PodSpectrum(s), n, w, a, heldOutSquares.clone(), features);
    }

    public PodSpectrum spectrum() {
        return spectrum;
    }

    public int modeCount() {
        return spectrum.modeCount();
    }

    /** n x k, C-order: mode j = Σ_i w[i][j] · (centred train snapshot i), for the first k modes. */
    public double[] modeWeights(int k) {
        checkK(k);
        double[] out = new double[n * k];
        for (int i = 0; i < n; i++) {
            System.arraycopy(weights[i], 0, out, i * k, k);
        }
        return out;
    }

    /** Coefficients of held-out snapshot {@code row} on the first k modes. */
    public double[] heldOutCoefficients(int row, int k) {
        checkK(k);
        return java.util.Arrays.copyOf(heldOutCoefficients[row], k);
    }

    /**
     * Coefficients of the train snapshots on the first k modes, n x k: x_i·φ_k = (G v_k)_i / s_k = s_k v_k[i],
     * so the Gram's eigenvectors give them without another pass over the data.
     */
    public double[][] trainCoefficients(int k) {
        checkK(k);
        double[] s = spectrum.singularValues();
        double[][] out = new double[n][k];
        for (int i = 0; i < n; i++) {
            for (int j = 0; j < k; j++) {
                out[i][j] = weights[i][j] * s[j] * s[j];
            }
        }
        return out;
    }

    /**
     * Coefficients on the first k modes of other snapshots (e.g. a validation split) from their products with
     * the centred train snapshots: {@code cross} is rows x n, C-order, as for the held-out ones.
     */
    public double[][] coefficientsOf(double[] cross, int rows, int k) {
        checkK(k);
        if (cross.length != (long) rows * n) {
            throw new IllegalArgumentException("cross must be " + rows + " x " + n + ", got " + cross.length + " values");
        }
        double[][] a = new double[rows][k];
        for (int r = 0; r < rows; r++) {
            for (int i = 0; i < n; i++) {
                double h = cross[r * n + i];
                if (h != 0) {
                    for (int j = 0; j < k; j++) {
                        a[r][j] += h * weights[i][j];
                    }
                }
            }
        }
        return a;
    }

    /** Values per snapshot (m), the denominator of per-value errors. */
    public long features() {
        return features;
    }

    /** Per-value MSE of the rank-k reconstructions of the held-out snapshots, averaged over them. */
    public double heldOutMse(int k) {
        checkK(k);
        if (heldOutSquaredNorms.length == 0) {
            throw new IllegalArgumentException("no held-out snapshots");
        }
        double sum = 0;
        for (int r = 0; r < heldOutSquaredNorms.length; r++) {
            double captured = 0;
            for (int j = 0; j < k; j++) {
                captured += heldOutCoefficients[r][j] * heldOutCoefficients[r][j];
            }
            // rounding can leave a hair below zero when y lies in the span
            sum += Math.max(0, heldOutSquaredNorms[r] - captured) / features;
        }
        return sum / heldOutSquaredNorms.length;
    }

    private void checkK(int k) {
        if (k < 0 || k > spectrum.modeCount()) {
            throw new IllegalArgumentException("k must be in 0.." + spectrum.modeCount() + ", got " + k);
        }
    }
}
