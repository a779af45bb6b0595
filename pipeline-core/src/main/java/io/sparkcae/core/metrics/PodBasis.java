package io.sparkcae.core.metrics;

import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

import java.io.Serializable;

/**
 * Proper orthogonal decomposition (PCA) of snapshots: rows are samples (flattened patches), columns are
 * features. Snapshots are centred on their mean; the modes are the right singular vectors of the centred
 * matrix X and {@link #singularValues()} its singular values (not divided by √(n−1)), so the energy of a
 * mode is its squared singular value. This is the linear baseline a CAE has to beat.
 *
 * <p>Two ways to the same basis, picked by shape:
 * <ul>
 *   <li>{@link #fitGram}: method of snapshots, eigen-decomposes X Xᵀ (n x n). For n &lt; m — few
 *   snapshots of many features, all held by one JVM (collected to the driver); n ≤ ~2000 (LAPACK dsyev
 *   on 2000 x 2000 takes 10–20 s on two cores).</li>
 *   <li>{@link #fromCovariance}: eigen-decomposes XᵀX (m x m) from a {@link CovarianceAccumulator},
 *   which Spark fills with one treeAggregate over any number of rows; m ≤ ~5000 (784 features: ~1 s).</li>
 * </ul>
 * Modes whose energy is below 1e-12 of the largest are dropped (numerical null space: centring alone
 * removes one), and each mode's sign is fixed so that its first largest-magnitude entry is positive, which
 * makes the basis reproducible across paths and runs.
 */
public final class PodBasis implements Serializable {
    private static final long serialVersionUID = 1L;
    private final double[] mean;
    private final PodSpectrum spectrum;
    private final double[][] modes;

    private PodBasis(double[] mean, double[] singularValues, double[][] modes) {
        this.mean = mean;
        this.spectrum = new PodSpectrum(singularValues);
        this.modes = modes;
    }

    /** Gram path when there are fewer snapshots than features, covariance path otherwise. */
    public static PodBasis fit(float[][] snapshots) {
        int rows = checkRows(snapshots);
        return rows < snapshots[0].length ? fitGram(snapshots) : fitCovariance(snapshots);
    }

    /** Method of snapshots: eigenvectors v of X Xᵀ give the modes Xᵀv / s. */
    public static PodBasis fitGram(float[][] snapshots) {
        int n = checkRows(snapshots);
        int m = snapshots[0].length;
        double[] mean = columnMeans(snapshots);
        double[] centred = new double[n * m];
        for (int r = 0; r < n; r++) {
            for (int j = 0; j < m; j++) {
                centred[r * m + j] = snapshots[r][j] - mean[j];
            }
        }
        INDArray x = Nd4j.create(centred, new long[]{n, m}, 'c');
        double[] gram = x.mmul(x.transpose()).dup('c').data().asDouble();
        SymmetricEigen eig = SymmetricEigen.of(gram, n);
        int k = PodSpectrum.keptModes(eig.values);
        double[] s = new double[k];
        double[] v = new double[n * k]; // the kept eigenvectors as columns, for one product Xᵀ V
        for (int i = 0; i < k; i++) {
            s[i] = Math.sqrt(eig.values[i]);
            for (int r = 0; r < n; r++) {
                v[r * k + i] = eig.vectors[i][r];
            }
        }
        double[] xtv = k == 0 ? new double[0]
                : x.transpose().mmul(Nd4j.create(v, new long[]{n, k}, 'c')).dup('c').data().asDouble();
        double[][] modes = new double[k][m];
        for (int j = 0; j < m; j++) {
            for (int i = 0; i < k; i++) {
                modes[i][j] = xtv[j * k + i] / s[i];
            }
        }
        return finish(mean, s, modes);
    }

    /** Covariance path on rows held in memory; the same as accumulating them and {@link #fromCovariance}. */
    public static PodBasis fitCovariance(float[][] snapshots) {
        checkRows(snapshots);
        CovarianceAccumulator acc = new CovarianceAccumulator(snapshots[0].length);
        for (float[] row : snapshots) {
            acc.add(row);
        }
        return fromCovariance(acc);
    }

    /** The covariance path: eigenvectors of the centred scatter matrix are the modes. */
    public static PodBasis fromCovariance(CovarianceAccumulator acc) {
        if (acc.count() < 1) {
            throw new IllegalArgumentException("no snapshots accumulated");
        }
        SymmetricEigen eig = SymmetricEigen.of(acc.scatterView(), acc.columns());
        int k = PodSpectrum.keptModes(eig.values);
        double[] s = new double[k];
        double[][] modes = new double[k][];
        for (int i = 0; i < k; i++) {
            s[i] = Math.sqrt(eig.values[i]);
            modes[i] = eig.vectors[i];
        }
        return finish(acc.mean(), s, modes);
    }

    public int features() {
        return mean.length;
    }

    /** Number of modes with non-negligible energy (at most min(n − 1, m)). */
    public int modeCount() {
        return spectrum.modeCount();
    }

    public PodSpectrum spectrum() {
        return spectrum;
    }

    public double[] mean() {
        return mean.clone();
    }

    /** Singular values of the centred snapshot matrix, descending. */
    public double[] singularValues() {
        return spectrum.singularValues();
    }

    /** {@code cumulativeEnergy()[k-1]}: fraction of the total energy captured by the first k modes. */
    public double[] cumulativeEnergy() {
        return spectrum.cumulativeEnergy();
    }

    /** Unit-norm mode {@code i} (0 = most energetic). */
    public double[] mode(int i) {
        return modes[i].clone();
    }

    /** Smallest k whose modes capture at least {@code fraction} of the energy (all modes if none does). */
    public int rankForEnergy(double fraction) {
        return spectrum.rankForEnergy(fraction);
    }

    /** Coefficients of {@code x − mean} on the first k modes. */
    public double[] project(float[] x, int k) {
        checkK(k);
        if (x.length != mean.length) {
            throw new IllegalArgumentException("snapshot has " + x.length + " values, basis has " + mean.length);
        }
        double[] c = new double[k];
        for (int i = 0; i < k; i++) {
            double[] mode = modes[i];
            double dot = 0;
            for (int j = 0; j < mean.length; j++) {
                dot += (x[j] - mean[j]) * mode[j];
            }
            c[i] = dot;
        }
        return c;
    }

    /** mean + Σ coeffs[i] · mode i, over as many modes as there are coefficients. */
    public float[] reconstruct(double[] coeffs) {
        checkK(coeffs.length);
        double[] acc = mean.clone();
        for (int i = 0; i < coeffs.length; i++) {
            double[] mode = modes[i];
            double c = coeffs[i];
            for (int j = 0; j < acc.length; j++) {
                acc[j] += c * mode[j];
            }
        }
        float[] out = new float[acc.length];
        for (int j = 0; j < acc.length; j++) {
            out[j] = (float) acc[j];
        }
        return out;
    }

    /** Per-value MSE of rank-k reconstructions, averaged over all rows — the CAE's figure, comparable. */
    public double reconstructionMse(float[][] heldOut, int k) {
        checkK(k);
        if (heldOut.length == 0) {
            throw new IllegalArgumentException("no held-out snapshots");
        }
        double sum = 0;
        for (float[] x : heldOut) {
            float[] r = reconstruct(project(x, k));
            sum += ReconstructionError.mse(x, 0, r, 0, x.length);
        }
        return sum / heldOut.length;
    }

    private void checkK(int k) {
        if (k < 0 || k > modes.length) {
            throw new IllegalArgumentException("k must be in 0.." + modes.length + ", got " + k);
        }
    }

    private static int checkRows(float[][] snapshots) {
        if (snapshots.length == 0) {
            throw new IllegalArgumentException("no snapshots");
        }
        int m = snapshots[0].length;
        for (float[] row : snapshots) {
            if (row.length != m || m == 0) {
                throw new IllegalArgumentException("snapshots must be non-empty rows of equal length");
            }
        }
        return snapshots.length;
    }

    private static double[] columnMeans(float[][] snapshots) {
        double[] mean = new double[snapshots[0].length];
        for (float[] row : snapshots) {
            for (int j = 0; j < mean.length; j++) {
                mean[j] += row[j];
            }
        }
        for (int j = 0; j < mean.length; j++) {
            mean[j] /= snapshots.length;
        }
        return mean;
    }

    private static PodBasis finish(double[] mean, double[] s, double[][] modes) {
        for (double[] mode : modes) {
            double max = 0;
            for (double v : mode) {
                max = Math.max(max, Math.abs(v));
            }
            // First entry of (near) largest magnitude decides; the tolerance keeps exact ties, which
            // rounding would otherwise split differently on each path, resolved by position.
            int arg = 0;
            while (Math.abs(mode[arg]) < max * (1 - 1e-6)) {
                arg++;
            }
            if (mode[arg] < 0) {
                for (int j = 0; j < mode.length; j++) {
                    mode[j] = -mode[j];
                }
            }
        }
        return new PodBasis(mean, s, modes);
    }
}
