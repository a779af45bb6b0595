package io.sparkcae.prep.samples;

import java.util.ArrayList;
import java.util.List;
import java.util.function.IntConsumer;

/**
 * 2D flow past a circular cylinder by the lattice Boltzmann method: D2Q9, single-relaxation-time (BGK)
 * collision, halfway bounce-back on the cylinder (no slip), an equilibrium inlet at the uniform velocity U,
 * a zero-gradient outlet, and periodic top and bottom (a row of cylinders ny apart). At Re ≈ 100 the wake
 * sheds vortices periodically (the von Kármán street) at a Strouhal number St = f D / U ≈ 0.16-0.18.
 *
 * <p>A small transverse kick behind the cylinder at the start breaks the symmetry, so shedding sets in after
 * a few thousand steps instead of waiting for round-off to grow. Snapshots are (u, v, p) on the grid
 * downsampled by {@code downsample}, in (c, z=1, y, x) C order: the (t, c, z, y, x) layout of the 3D
 * simulator with one z layer, so the same readers load it.
 */
public final class CylinderWakeSimulator {
    private static final int[] CX = {0, 1, 0, -1, 0, 1, -1, -1, 1};
    private static final int[] CY = {0, 0, 1, 0, -1, 1, 1, -1, -1};
    private static final int[] OPP = {0, 3, 4, 1, 2, 7, 8, 5, 6};
    private static final double[] W = {4.0 / 9, 1.0 / 9, 1.0 / 9, 1.0 / 9, 1.0 / 9, 1.0 / 36, 1.0 / 36, 1.0 / 36, 1.0 / 36};

    private final CylinderWakeParams p;
    private final int nx;
    private final int ny;
    private final double omega;
    private final boolean[] solid;
    private double[][] f;
    private double[][] next;
    private int stepsDone;

    public CylinderWakeSimulator(CylinderWakeParams params) {
        this.p = params;
        this.nx = params.nx();
        this.ny = params.ny();
        this.omega = 1 / params.relaxationTime();
        this.solid = new boolean[nx * ny];
        double r = params.diameter() / 2.0;
        double cx = cylinderX();
        double cy = cylinderY();
        for (int y = 0; y < ny; y++) {
            for (int x = 0; x < nx; x++) {
                double dx = x - cx;
                double dy = y - cy;
                solid[y * nx + x] = dx * dx + dy * dy <= r * r;
            }
        }
        f = new double[9][nx * ny];
        next = new double[9][nx * ny];
        double u0 = params.inletVelocity();
        double[] feq = new double[9];
        for (int y = 0; y < ny; y++) {
            for (int x = 0; x < nx; x++) {
                int c = y * nx + x;
                double ddx = (x - cx - 2 * r) / r;
                double ddy = (y - cy) / r;
                // the symmetry-breaking kick: a transverse bump of 10% of U a diameter behind the cylinder
                double v = 0.1 * u0 * Math.exp(-(ddx * ddx + ddy * ddy));
                equilibrium(1, solid[c] ? 0 : u0, solid[c] ? 0 : v, feq);
                for (int i = 0; i < 9; i++) {
                    f[i][c] = feq[i];
                }
            }
        }
    }

    public CylinderWakeParams params() {
        return p;
    }

    /** Grid x of the cylinder centre: 4 diameters downstream of the inlet (at most a quarter of the length). */
    public double cylinderX() {
        return Math.min(4.0 * p.diameter(), nx / 4.0);
    }

    /** Grid y of the cylinder centre. */
    public double cylinderY() {
        return ny / 2.0 - 0.5;
    }

    private static void equilibrium(double rho, double ux, double uy, double[] out) {
        double uu = ux * ux + uy * uy;
        for (int i = 0; i < 9; i++) {
            double cu = CX[i] * ux + CY[i] * uy;
            out[i] = W[i] * rho * (1 + 3 * cu + 4.5 * cu * cu - 1.5 * uu);
        }
    }

    /** Advances one lattice step: collide, stream with bounce-back, then the inlet and outlet. */
    public void step() {
        double[] feq = new double[9];
        int cells = nx * ny;
        for (int c = 0; c < cells; c++) {
            if (solid[c]) {
                continue;
            }
            double rho = 0;
            double mx = 0;
            double my = 0;
            for (int i = 0; i < 9; i++) {
                double fi = f[i][c];
                rho += fi;
                mx += CX[i] * fi;
                my += CY[i] * fi;
            }
            equilibrium(rho, mx / rho, my / rho, feq);
            for (int i = 0; i < 9; i++) {
                f[i][c] += omega * (feq[i] - f[i][c]);
            }
        }
        for (int y = 0; y < ny; y++) {
            for (int x = 0; x < nx; x++) {
                int c = y * nx + x;
                if (solid[c]) {
                    continue;
                }
                for (int i = 0; i < 9; i++) {
                    int tx = x + CX[i];
                    if (tx < 0 || tx >= nx) {
                        continue; // leaves the domain; the inlet and outlet conditions refill those links
                    }
                    int ty = Math.floorMod(y + CY[i], ny);
                    int t = ty * nx + tx;
                    if (solid[t]) {
                        next[OPP[i]][c] = f[i][c]; // halfway bounce-back: returns to where it came from
                    } else {
                        next[i][t] = f[i][c];
                    }
                }
            }
        }
        double[] inlet = new double[9];
        equilibrium(1, p.inletVelocity(), 0, inlet);
        for (int y = 0; y < ny; y++) {
            int in = y * nx;
            int out = y * nx + nx - 1;
            for (int i = 0; i < 9; i++) {
                next[i][in] = inlet[i];
                if (CX[i] < 0) {
                    next[i][out] = next[i][out - 1];
                }
            }
        }
        double[][] t = f;
        f = next;
        next = t;
        stepsDone++;
    }

    /** Runs {@code n} steps, calling {@code after} with the step count after each. */
    public void run(int n, IntConsumer after) {
        for (int s = 0; s < n; s++) {
            step();
            after.accept(stepsDone);
        }
    }

    /** Transverse velocity at a grid point. */
    public double v(int x, int y) {
        int c = y * nx + x;
        double rho = 0;
        double my = 0;
        for (int i = 0; i < 9; i++) {
            rho += f[i][c];
            my += CY[i] * f[i][c];
        }
        return my / rho;
    }

    /** The current (u, v, p) fields, downsampled, as one (c, 1, y, x) C-order frame; 0 inside the cylinder. */
    public float[] snapshot() {
        int d = p.downsample();
        int sx = p.savedNx();
        int sy = p.savedNy();
        float[] frame = new float[CylinderWakeParams.CHANNELS * sy * sx];
        int plane = sy * sx;
        for (int y = 0; y < sy; y++) {
            for (int x = 0; x < sx; x++) {
                int c = (y * d) * nx + x * d;
                if (solid[c]) {
                    continue;
                }
                double rho = 0;
                double mx = 0;
                double my = 0;
                for (int i = 0; i < 9; i++) {
                    rho += f[i][c];
                    mx += CX[i] * f[i][c];
                    my += CY[i] * f[i][c];
                }
                int at = y * sx + x;
                frame[at] = (float) (mx / rho);
                frame[plane + at] = (float) (my / rho);
                frame[2 * plane + at] = (float) ((rho - 1) / 3);
            }
        }
        return frame;
    }

    /** The warm-up, then the saved snapshots. */
    public List<float[]> run() {
        run(p.warmupSteps(), s -> { });
        List<float[]> frames = new ArrayList<>(p.steps());
        for (int t = 0; t < p.steps(); t++) {
            if (t > 0) {
                run(p.every(), s -> { });
            }
            frames.add(snapshot());
        }
        return frames;
    }

    /** Array shape of the saved series: (t, c, z=1, y, x). */
    public long[] shape() {
        return new long[]{p.steps(), CylinderWakeParams.CHANNELS, 1, p.savedNy(), p.savedNx()};
    }
}
