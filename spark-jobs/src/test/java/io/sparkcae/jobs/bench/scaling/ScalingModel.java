package io.sparkcae.jobs.bench.scaling;

import java.util.ArrayList;
import java.util.List;

/**
 * Steady-state training throughput of N workers under parameter averaging and gradient sharing, from the
 * per-batch compute time, the bytes that cross the network and the link's bandwidth.
 *
 * <pre>
 * averaging, frequency f:  T_round = (f + g) * t_step + a + b * N + c * bytes_round / B   X = N * f * batch / T_round
 * sharing:                 T_iter  = max(t_c + e0 + e1 * (N - 1),  c * bytes_iter / B)   X = N * batch / T_iter
 * </pre>
 *
 * t_step is a worker's whole fit step (forward, backward, updater), t_c its forward and backward pass alone;
 * g is what each round's task costs in step units besides its f steps (DL4J rebuilds the model from the
 * broadcast in every task, and the first step allocates its workspaces), a the fixed cost of a Spark round
 * (job and task launch), b the driver's cost per worker result (deserialise and add parameters and updater
 * state), c the inverse of the
 * link's efficiency (1 = wire speed); e0 is what sharing adds to a step (updater, threshold encoding) and e1
 * the cost of applying one peer's update. bytes are all bytes that cross the shared link per round or per
 * iteration of every worker; B is its rate in bytes/s (infinite for an unshaped loopback, where the term
 * vanishes). a, b, g, c are fitted to the averaging points and e0, e1 to the sharing points by least squares
 * on the relative error of the round or iteration time, none of them negative (a constant the fit would make
 * negative is held at 0 and the others refitted); the sharing points reuse c.
 */
public final class ScalingModel {
    /**
     * One measured point.
     *
     * @param frequency     averaging rounds' batches (ignored for sharing)
     * @param stepSeconds   mean fit step of a worker
     * @param computeSeconds mean forward+backward of a worker
     * @param periodSeconds measured round (averaging) or iteration (sharing) time
     * @param bytes         bytes over the link per round (averaging) or per iteration of all workers (sharing)
     * @param bytesPerSecond the link's rate, infinite when unlimited
     */
    public record Point(Mode mode, double param, int workers, int frequency, String rate, double bytesPerSecond,
                        int batch, double stepSeconds, double computeSeconds, double periodSeconds, double bytes) {
        public double measuredImgPerS() {
            return images() / periodSeconds;
        }

        double images() {
            return (double) workers * batch * (mode == Mode.AVERAGING ? frequency : 1);
        }

        double transferSeconds() {
            return Double.isFinite(bytesPerSecond) && bytesPerSecond > 0 ? bytes / bytesPerSecond : 0;
        }
    }

    public enum Mode { AVERAGING, SHARING }

    /** Fitted constants, seconds (c: dimensionless). */
    public record Constants(double a, double b, double g, double c, double e0, double e1) {
    }

    private final Constants k;

    public ScalingModel(Constants k) {
        this.k = k;
    }

    public Constants constants() {
        return k;
    }

    /** Predicted round or iteration time of a point, from its own measured step and compute times. */
    public double periodSeconds(Point p) {
        if (p.mode() == Mode.AVERAGING) {
            return (p.frequency() + k.g()) * p.stepSeconds() + k.a() + k.b() * p.workers()
                    + k.c() * p.transferSeconds();
        }
        return Math.max(p.computeSeconds() + k.e0() + k.e1() * (p.workers() - 1), k.c() * p.transferSeconds());
    }

    public double predictImgPerS(Point p) {
        return p.images() / periodSeconds(p);
    }

    /** (predicted - measured) / measured, in percent. */
    public double errorPercent(Point p) {
        return 100 * (predictImgPerS(p) - p.measuredImgPerS()) / p.measuredImgPerS();
    }

    /**
     * Fits the constants. c needs at least one averaging point on a limited link (else it is 0: nothing
     * measured the bandwidth term); sharing points whose transfer time at the fitted c exceeds their measured
     * iteration time are bandwidth-bound and left out of e0, e1.
     */
    public static ScalingModel fit(List<Point> points) {
        List<double[]> rows = new ArrayList<>();
        List<Double> ys = new ArrayList<>();
        for (Point p : points) {
            if (p.mode() != Mode.AVERAGING) {
                continue;
            }
            double w = 1 / p.periodSeconds();
            rows.add(new double[] {w, p.workers() * w, p.stepSeconds() * w, p.transferSeconds() * w});
            ys.add((p.periodSeconds() - p.frequency() * p.stepSeconds()) * w);
        }
        double[] abgc = rows.isEmpty() ? new double[4] : nonNegativeLeastSquares(rows, ys);
        double c = abgc[3];
        rows.clear();
        ys.clear();
        for (Point p : points) {
            if (p.mode() != Mode.SHARING || c * p.transferSeconds() > p.periodSeconds()) {
                continue;
            }
            double w = 1 / p.periodSeconds();
            rows.add(new double[] {w, (p.workers() - 1) * w});
            ys.add((p.periodSeconds() - p.computeSeconds()) * w);
        }
        double[] e = rows.isEmpty() ? new double[2] : nonNegativeLeastSquares(rows, ys);
        return new ScalingModel(new Constants(abgc[0], abgc[1], abgc[2], c, e[0], e[1]));
    }

    /**
     * Least squares with every coefficient at least 0: columns that come out negative, or that the points
     * leave undetermined (all zero, e.g. no limited link), are held at 0 one at a time and the rest refitted.
     */
    static double[] nonNegativeLeastSquares(List<double[]> rows, List<Double> ys) {
        int n = rows.get(0).length;
        boolean[] held = new boolean[n];
        for (int j = 0; j < n; j++) {
            final int col = j;
            held[j] = rows.stream().allMatch(r -> r[col] == 0);
        }
        while (true) {
            List<Integer> free = new ArrayList<>();
            for (int j = 0; j < n; j++) {
                if (!held[j]) {
                    free.add(j);
                }
            }
            double[] out = new double[n];
            if (free.isEmpty()) {
                return out;
            }
            List<double[]> sub = new ArrayList<>();
            for (double[] r : rows) {
                double[] s = new double[free.size()];
                for (int i = 0; i < s.length; i++) {
                    s[i] = r[free.get(i)];
                }
                sub.add(s);
            }
            double[] v;
            try {
                v = leastSquares(sub, ys);
            } catch (DegenerateColumn d) {
                held[free.get(d.column)] = true; // e.g. one worker count: the per-worker cost is the fixed cost
                continue;
            }
            int worst = -1;
            for (int i = 0; i < v.length; i++) {
                out[free.get(i)] = v[i];
                if (v[i] < 0 && (worst < 0 || v[i] < out[worst])) {
                    worst = free.get(i);
                }
            }
            if (worst < 0) {
                return out;
            }
            held[worst] = true;
        }
    }

    /** A column of the normal equations that the points do not determine (zero or collinear with others). */
    static final class DegenerateColumn extends IllegalArgumentException {
        final int column;

        DegenerateColumn(int column) {
            super("the points do not determine the model's constants (column " + column + " is degenerate)");
            this.column = column;
        }
    }

    /** Ordinary least squares through the normal equations (a handful of columns), by Gaussian elimination. */
    static double[] leastSquares(List<double[]> rows, List<Double> ys) {
        int n = rows.get(0).length;
        double[][] m = new double[n][n + 1];
        for (int r = 0; r < rows.size(); r++) {
            double[] x = rows.get(r);
            for (int i = 0; i < n; i++) {
                for (int j = 0; j < n; j++) {
                    m[i][j] += x[i] * x[j];
                }
                m[i][n] += x[i] * ys.get(r);
            }
        }
        for (int col = 0; col < n; col++) {
            int pivot = col;
            for (int r = col + 1; r < n; r++) {
                if (Math.abs(m[r][col]) > Math.abs(m[pivot][col])) {
                    pivot = r;
                }
            }
            double[] tmp = m[col];
            m[col] = m[pivot];
            m[pivot] = tmp;
            if (Math.abs(m[col][col]) < 1e-18) {
                throw new DegenerateColumn(col);
            }
            for (int r = 0; r < n; r++) {
                if (r != col) {
                    double f = m[r][col] / m[col][col];
                    for (int j = col; j <= n; j++) {
                        m[r][j] -= f * m[col][j];
                    }
                }
            }
        }
        double[] out = new double[n];
        for (int i = 0; i < n; i++) {
            out[i] = m[i][n] / m[i][i];
        }
        return out;
    }
}
