package io.sparkcae.jobs.rom;

/**
 * Snapshots seen through the first N POD modes: each one's coefficients a (N per snapshot) and the squared
 * norm of the whole centred snapshot. Because the modes are orthonormal, a snapshot rebuilt from estimated
 * coefficients â has the error ‖y‖² − Σ a² (what the N modes miss) + Σ (a − â)² (what the estimate
 * misses), so a model of the coefficients is scored in the units of the field without rebuilding a field.
 *
 * @param coefficients rows x N
 * @param squaredNorms per row, the squared norm of the centred, normalised snapshot
 * @param features     values per snapshot (m), for per-value errors
 */
record ProjectedSnapshots(double[][] coefficients, double[] squaredNorms, long features) {

    int rows() {
        return coefficients.length;
    }

    int modes() {
        return coefficients.length == 0 ? 0 : coefficients[0].length;
    }

    /** Per-value MSE of row r rebuilt from {@code estimate} (N coefficients). */
    double rowMse(int r, double[] estimate) {
        double[] a = coefficients[r];
        double captured = 0;
        double missed = 0;
        for (int j = 0; j < a.length; j++) {
            captured += a[j] * a[j];
            double d = a[j] - estimate[j];
            missed += d * d;
        }
        // rounding can leave a hair below zero when y lies in the span of the modes
        return (Math.max(0, squaredNorms[r] - captured) + missed) / features;
    }

    /** Per-value MSE averaged over the rows, rebuilt from {@code estimates} (rows x N). */
    double mse(double[][] estimates) {
        if (rows() == 0) {
            return Double.NaN;
        }
        double sum = 0;
        for (int r = 0; r < rows(); r++) {
            sum += rowMse(r, estimates[r]);
        }
        return sum / rows();
    }

    /** The floor: the error of the N modes with the exact coefficients (POD-N). */
    double floorMse() {
        return mse(coefficients);
    }

    /** The first {@code n} coefficients of each row. */
    ProjectedSnapshots firstModes(int n) {
        double[][] c = new double[rows()][];
        for (int r = 0; r < c.length; r++) {
            c[r] = java.util.Arrays.copyOf(coefficients[r], n);
        }
        return new ProjectedSnapshots(c, squaredNorms, features);
    }
}
