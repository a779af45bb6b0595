package io.sparkcae.prep.samples;

import java.util.ArrayList;
import java.util.List;
import java.util.stream.IntStream;

/**
 * The 3D Taylor–Green vortex by the lattice Boltzmann method: D3Q19, single-relaxation-time (BGK) collision,
 * a periodic cube of side 2π (n points per axis). It starts from
 * u = U0 sin x cos y cos z, v = −U0 cos x sin y cos z, w = 0 and the pressure that balances it,
 * p = p0 + (ρ0 U0² / 16)(cos 2x + cos 2y)(cos 2z + 2); the vortex stretches, transfers energy to smaller scales
 * and decays. At first only viscosity acts on the single wavenumber |k|² = 3, so dE/dt = −6 ν E.
 *
 * <p>Streaming and collision are fused (pull scheme: each cell gathers its post-collision neighbours, then
 * collides), and the z slabs run in parallel. The arrays hold post-collision distributions, whose density
 * and momentum are those of the current time step. The kinetic energy of every lattice step is summed during
 * the collision, for the decay-rate and dissipation checks ({@link TaylorGreenChecks}).
 *
 * <p>Snapshots are (u, v, w, p) in units of U0 and ρ0 U0² (p = c_s² (ρ − 1) / U0², mean zero since mass is
 * conserved), in (c, z, y, x) C order: the (t, c, z, y, x) layout of the other simulators.
 */
public final class TaylorGreenSimulator {
    private static final int Q = 19;
    private static final int[] CX = {0, 1, -1, 0, 0, 0, 0, 1, -1, 1, -1, 1, -1, 1, -1, 0, 0, 0, 0};
    private static final int[] CY = {0, 0, 0, 1, -1, 0, 0, 1, 1, -1, -1, 0, 0, 0, 0, 1, -1, 1, -1};
    private static final int[] CZ = {0, 0, 0, 0, 0, 1, -1, 0, 0, 0, 0, 1, 1, -1, -1, 1, 1, -1, -1};
    private static final double[] W = new double[Q];

    static {
        W[0] = 1.0 / 3;
        for (int i = 1; i < Q; i++) {
            W[i] = i <= 6 ? 1.0 / 18 : 1.0 / 36;
        }
    }

    private final TaylorGreenParams p;
    private final int n;
    private final double omega;
    private double[][] f;
    private double[][] next;
    /** Kinetic energy per lattice step, index = step, in units of U0² (mean of |u|²/2 over the cells). */
    private final List<Double> energy = new ArrayList<>();
    private final double[] slabEnergy;
    private int stepsDone;

    public TaylorGreenSimulator(TaylorGreenParams params) {
        this.p = params;
        this.n = params.n();
        this.omega = 1 / params.relaxationTime();
        int cells = n * n * n;
        f = new double[Q][cells];
        next = new double[Q][cells];
        slabEnergy = new double[n];
        double u0 = params.velocity();
        double[] feq = new double[Q];
        for (int z = 0; z < n; z++) {
            for (int y = 0; y < n; y++) {
                for (int x = 0; x < n; x++) {
                    double[] a = analytic(x, y, z);
                    // c_s² = 1/3: the pressure sets the density deviation
                    double rho = 1 + 3 * a[3] * u0 * u0;
                    equilibrium(rho, a[0] * u0, a[1] * u0, a[2] * u0, feq);
                    double[][] grad = velocityGradient(x, y, z);
                    int c = (z * n + y) * n + x;
                    for (int i = 0; i < Q; i++) {
                        // the non-equilibrium part of the initial shear, f_neq = −3 w ρ τ c_a c_b ∂_a u_b: without
                        // it the stress starts at zero and, with τ near 1/2, rings for tens of steps
                        int[] ci = {CX[i], CY[i], CZ[i]};
                        double q = 0;
                        for (int a1 = 0; a1 < 3; a1++) {
                            for (int b1 = 0; b1 < 3; b1++) {
                                q += ci[a1] * ci[b1] * grad[a1][b1];
                            }
                        }
                        double fneq = -3 * W[i] * rho * params.relaxationTime() * q * u0;
                        // the arrays hold post-collision values: f* = feq + (1 − ω) f_neq
                        f[i][c] = feq[i] + (1 - omega) * fneq;
                    }
                }
            }
        }
        energy.add(kineticEnergy());
    }

    public TaylorGreenParams params() {
        return p;
    }

    /** The initial (u, v, w, p) at a grid point, in units of U0 and ρ0 U0² (p0 = 0). */
    public double[] analytic(int ix, int iy, int iz) {
        double h = 2 * Math.PI / n;
        double x = ix * h;
        double y = iy * h;
        double z = iz * h;
        return new double[]{
                Math.sin(x) * Math.cos(y) * Math.cos(z),
                -Math.cos(x) * Math.sin(y) * Math.cos(z),
                0,
                (Math.cos(2 * x) + Math.cos(2 * y)) * (Math.cos(2 * z) + 2) / 16};
    }

    /** ∂_a u_b of the initial field at a grid point, per lattice spacing, in units of U0. */
    private double[][] velocityGradient(int ix, int iy, int iz) {
        double h = 2 * Math.PI / n;
        double sx = Math.sin(ix * h);
        double cx = Math.cos(ix * h);
        double sy = Math.sin(iy * h);
        double cy = Math.cos(iy * h);
        double sz = Math.sin(iz * h);
        double cz = Math.cos(iz * h);
        return new double[][]{
                {h * cx * cy * cz, h * sx * sy * cz, 0},
                {-h * sx * sy * cz, -h * cx * cy * cz, 0},
                {-h * sx * cy * sz, h * cx * sy * sz, 0}};
    }

    private static void equilibrium(double rho, double ux, double uy, double uz, double[] out) {
        double uu = ux * ux + uy * uy + uz * uz;
        for (int i = 0; i < Q; i++) {
            double cu = CX[i] * ux + CY[i] * uy + CZ[i] * uz;
            out[i] = W[i] * rho * (1 + 3 * cu + 4.5 * cu * cu - 1.5 * uu);
        }
    }

    /** Advances one lattice step: every cell gathers its neighbours' post-collision values and collides. */
    public void step() {
        IntStream.range(0, n).parallel().forEach(this::slab);
        double sum = 0;
        for (double e : slabEnergy) {
            sum += e;
        }
        double u0 = p.velocity();
        energy.add(sum / ((double) n * n * n) / (u0 * u0));
        double[][] t = f;
        f = next;
        next = t;
        stepsDone++;
    }

    private void slab(int z) {
        double[] fi = new double[Q];
        int[] rowBase = new int[Q];
        double e = 0;
        for (int y = 0; y < n; y++) {
            for (int i = 0; i < Q; i++) {
                int sz = Math.floorMod(z - CZ[i], n);
                int sy = Math.floorMod(y - CY[i], n);
                rowBase[i] = (sz * n + sy) * n;
            }
            int row = (z * n + y) * n;
            for (int x = 0; x < n; x++) {
                double rho = 0;
                double mx = 0;
                double my = 0;
                double mz = 0;
                for (int i = 0; i < Q; i++) {
                    int sx = x - CX[i];
                    sx = sx < 0 ? sx + n : sx >= n ? sx - n : sx;
                    double v = f[i][rowBase[i] + sx];
                    fi[i] = v;
                    rho += v;
                    mx += CX[i] * v;
                    my += CY[i] * v;
                    mz += CZ[i] * v;
                }
                double ux = mx / rho;
                double uy = my / rho;
                double uz = mz / rho;
                double uu = ux * ux + uy * uy + uz * uz;
                e += 0.5 * uu;
                int c = row + x;
                for (int i = 0; i < Q; i++) {
                    double cu = CX[i] * ux + CY[i] * uy + CZ[i] * uz;
                    double feq = W[i] * rho * (1 + 3 * cu + 4.5 * cu * cu - 1.5 * uu);
                    next[i][c] = fi[i] + omega * (feq - fi[i]);
                }
            }
        }
        slabEnergy[z] = e;
    }

    /** Lattice steps run so far. */
    public int stepsDone() {
        return stepsDone;
    }

    /** Kinetic energy of every lattice step so far (index = step), in units of U0²; 1/8 at the start. */
    public double[] energyHistory() {
        return energy.stream().mapToDouble(Double::doubleValue).toArray();
    }

    /** Mean of |u|² / 2 over the cells now, in units of U0². */
    public double kineticEnergy() {
        double sum = 0;
        double[] m = new double[4];
        for (int c = 0; c < n * n * n; c++) {
            moments(c, m);
            sum += 0.5 * (m[1] * m[1] + m[2] * m[2] + m[3] * m[3]);
        }
        return sum / ((double) n * n * n) / (p.velocity() * p.velocity());
    }

    /** (ρ, ux, uy, uz) of cell c in lattice units. */
    private void moments(int c, double[] out) {
        double rho = 0;
        double mx = 0;
        double my = 0;
        double mz = 0;
        for (int i = 0; i < Q; i++) {
            double v = f[i][c];
            rho += v;
            mx += CX[i] * v;
            my += CY[i] * v;
            mz += CZ[i] * v;
        }
        out[0] = rho;
        out[1] = mx / rho;
        out[2] = my / rho;
        out[3] = mz / rho;
    }

    /** The current (u, v, w, p) as one (c, z, y, x) C-order frame, in units of U0 and ρ0 U0². */
    public float[] snapshot() {
        int cells = n * n * n;
        float[] frame = new float[TaylorGreenParams.CHANNELS * cells];
        double u0 = p.velocity();
        double[] m = new double[4];
        for (int c = 0; c < cells; c++) {
            moments(c, m);
            frame[c] = (float) (m[1] / u0);
            frame[cells + c] = (float) (m[2] / u0);
            frame[2 * cells + c] = (float) (m[3] / u0);
            frame[3 * cells + c] = (float) ((m[0] - 1) / 3 / (u0 * u0));
        }
        return frame;
    }

    /** Runs {@code steps} lattice steps. */
    public void run(int steps) {
        for (int s = 0; s < steps; s++) {
            step();
        }
    }

    /** The saved snapshots, the first at t = 0 and then one every {@link TaylorGreenParams#every()} steps. */
    public List<float[]> run() {
        List<float[]> frames = new ArrayList<>(p.steps());
        for (int t = 0; t < p.steps(); t++) {
            if (t > 0) {
                run(p.every());
            }
            frames.add(snapshot());
        }
        return frames;
    }

    /** Array shape of the saved series: (t, c, z, y, x). */
    public long[] shape() {
        return new long[]{p.steps(), TaylorGreenParams.CHANNELS, n, n, n};
    }
}
