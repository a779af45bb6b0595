package io.sparkcae.prep.samples;

import java.util.ArrayList;
import java.util.List;
import java.util.Random;

/**
 * Finite-difference solver for ∂φ/∂t + ∇·(uφ) = κ∇²φ on the periodic cube [0, 2π)^3 with an n^3 grid,
 * a steady ABC flow plus uniform drift (see {@link SimParams}), and Gaussian blobs as the initial scalar.
 *
 * <p>Advection is first-order upwind in flux form and diffusion the 7-point central Laplacian, stepped
 * with explicit Euler. The flux form makes the total of φ exactly conserved (fluxes cancel in pairs on a
 * periodic grid); the ABC flow's x-velocity does not depend on x (likewise y, z), so the discrete flow is
 * exactly divergence-free and the scheme stays monotone: no new extrema, variance never grows. The
 * sub-step is chosen below that monotonicity limit, dt (|u|+|v|+|w|)/dx + 6 κ dt/dx² ≤ 0.9.
 *
 * <p>Arrays are (z, y, x) in C order, x fastest, matching the (t, c, z, y, x) layout the readers expect.
 */
public final class AdvectionDiffusionSimulator {

    private static final double SAFETY = 0.9;

    private final SimParams p;
    private final int n;
    private final double dx;
    /** Face velocities: x-faces depend on (z, y) only, y-faces on (z, x), z-faces on (y, x). */
    private final double[] uFace;
    private final double[] vFace;
    private final double[] wFace;

    public AdvectionDiffusionSimulator(SimParams params) {
        this.p = params;
        this.n = params.n();
        this.dx = 2 * Math.PI / n;
        double[] abc = params.abc();
        double[] drift = params.drift();
        uFace = new double[n * n];
        vFace = new double[n * n];
        wFace = new double[n * n];
        for (int a = 0; a < n; a++) {
            for (int b = 0; b < n; b++) {
                double sa = a * dx;
                double sb = b * dx;
                // index a is the slower axis of the pair: (z, y) for u, (z, x) for v, (y, x) for w
                uFace[a * n + b] = abc[0] * Math.sin(sa) + abc[2] * Math.cos(sb) + drift[0];
                vFace[a * n + b] = abc[1] * Math.sin(sb) + abc[0] * Math.cos(sa) + drift[1];
                wFace[a * n + b] = abc[2] * Math.sin(sa) + abc[1] * Math.cos(sb) + drift[2];
            }
        }
    }

    /** Runs the simulation: {@code steps} frames of shape (channels, n, n, n), the initial state first. */
    public Simulation run() {
        double[] phi = initialScalar();
        double[] next = new double[phi.length];
        int substeps = substepsPerFrame();
        double dt = p.stepTime() / substeps;
        List<float[]> frames = new ArrayList<>(p.steps());
        frames.add(frame(phi));
        for (int s = 1; s < p.steps(); s++) {
            for (int k = 0; k < substeps; k++) {
                step(phi, next, dt);
                double[] t = phi;
                phi = next;
                next = t;
            }
            frames.add(frame(phi));
        }
        return new Simulation(p, frames, dt, substeps);
    }

    /** Sub-steps per saved step, from the advective (CFL) and diffusive limits together. */
    int substepsPerFrame() {
        double[] abc = p.abc();
        double[] drift = p.drift();
        double speeds = Math.abs(abc[0]) + Math.abs(abc[2]) + Math.abs(drift[0])
                + Math.abs(abc[1]) + Math.abs(abc[0]) + Math.abs(drift[1])
                + Math.abs(abc[2]) + Math.abs(abc[1]) + Math.abs(drift[2]);
        double rate = speeds / dx + 6 * p.diffusivity() / (dx * dx);
        return rate == 0 ? 1 : (int) Math.ceil(p.stepTime() * rate / SAFETY);
    }

    private double[] initialScalar() {
        Random random = new Random(p.seed());
        double[] phi = new double[n * n * n];
        for (int b = 0; b < p.blobs(); b++) {
            double cz = random.nextDouble() * 2 * Math.PI;
            double cy = random.nextDouble() * 2 * Math.PI;
            double cx = random.nextDouble() * 2 * Math.PI;
            double sigma = 0.3 + 0.5 * random.nextDouble();
            double amplitude = 0.5 + random.nextDouble();
            for (int z = 0; z < n; z++) {
                double dz = periodicDistance(z * dx, cz);
                for (int y = 0; y < n; y++) {
                    double dy = periodicDistance(y * dx, cy);
                    for (int x = 0; x < n; x++) {
                        double dxx = periodicDistance(x * dx, cx);
                        double r2 = dz * dz + dy * dy + dxx * dxx;
                        phi[(z * n + y) * n + x] += amplitude * Math.exp(-r2 / (2 * sigma * sigma));
                    }
                }
            }
        }
        return phi;
    }

    /** Nearest-image distance on the periodic axis, so blobs near a face wrap around smoothly. */
    private static double periodicDistance(double a, double b) {
        double d = Math.abs(a - b) % (2 * Math.PI);
        return Math.min(d, 2 * Math.PI - d);
    }

    /** One explicit Euler step from {@code phi} into {@code out}. */
    private void step(double[] phi, double[] out, double dt) {
        double adv = dt / dx;
        double diff = p.diffusivity() * dt / (dx * dx);
        for (int z = 0; z < n; z++) {
            int zm = (z + n - 1) % n;
            int zp = (z + 1) % n;
            for (int y = 0; y < n; y++) {
                int ym = (y + n - 1) % n;
                int yp = (y + 1) % n;
                double u = uFace[z * n + y];
                for (int x = 0; x < n; x++) {
                    int xm = (x + n - 1) % n;
                    int xp = (x + 1) % n;
                    double v = vFace[z * n + x];
                    double w = wFace[y * n + x];
                    double c = phi[at(z, y, x)];
                    // flux through each face = face velocity times the upwind cell's value
                    double fx = upwind(u, c, phi[at(z, y, xp)]) - upwind(u, phi[at(z, y, xm)], c);
                    double fy = upwind(v, c, phi[at(z, yp, x)]) - upwind(v, phi[at(z, ym, x)], c);
                    double fz = upwind(w, c, phi[at(zp, y, x)]) - upwind(w, phi[at(zm, y, x)], c);
                    double lap = phi[at(z, y, xp)] + phi[at(z, y, xm)] + phi[at(z, yp, x)] + phi[at(z, ym, x)]
                            + phi[at(zp, y, x)] + phi[at(zm, y, x)] - 6 * c;
                    out[at(z, y, x)] = c - adv * (fx + fy + fz) + diff * lap;
                }
            }
        }
    }

    /** Flux through a face with velocity {@code vel} between a lower cell and an upper cell. */
    private static double upwind(double vel, double lower, double upper) {
        return vel > 0 ? vel * lower : vel * upper;
    }

    private int at(int z, int y, int x) {
        return (z * n + y) * n + x;
    }

    /** The saved form of a state: float32 channels (φ, then ux, uy, uz at cell centres when 4 channels). */
    private float[] frame(double[] phi) {
        int cells = n * n * n;
        float[] out = new float[p.channels() * cells];
        for (int i = 0; i < cells; i++) {
            out[i] = (float) phi[i];
        }
        if (p.channels() == 4) {
            for (int z = 0; z < n; z++) {
                for (int y = 0; y < n; y++) {
                    for (int x = 0; x < n; x++) {
                        int i = at(z, y, x);
                        out[cells + i] = (float) uFace[z * n + y];
                        out[2 * cells + i] = (float) vFace[z * n + x];
                        out[3 * cells + i] = (float) wFace[y * n + x];
                    }
                }
            }
        }
        return out;
    }
}
