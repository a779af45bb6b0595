package io.sparkcae.prep.samples;

/**
 * Parameters of one 2D flow past a cylinder, solved by {@link CylinderWakeSimulator}, in lattice units (grid
 * spacing 1, time step 1).
 *
 * @param name          file name stem of the outputs
 * @param nx            grid points along the flow (x)
 * @param ny            grid points across it (y, periodic: a row of cylinders ny apart)
 * @param diameter      cylinder diameter in grid points
 * @param reynolds      Re = U D / ν, which sets the viscosity
 * @param inletVelocity U, the uniform inflow (keep the Mach number U √3 well below 1: ≤ 0.1)
 * @param warmupSteps   lattice steps run before the first saved snapshot (the wake must have developed)
 * @param steps         saved snapshots
 * @param every         lattice steps between saved snapshots
 * @param downsample    a saved snapshot keeps every this-many grid points along x and y
 */
public record CylinderWakeParams(String name, int nx, int ny, int diameter, double reynolds, double inletVelocity,
                                 int warmupSteps, int steps, int every, int downsample) {

    /** u, v and the pressure deviation c_s² (ρ − 1). */
    public static final int CHANNELS = 3;

    public CylinderWakeParams {
        if (name == null || !name.matches("[A-Za-z0-9._-]+")) {
            throw new IllegalArgumentException("name must be a plain file name stem, got '" + name + "'");
        }
        if (diameter < 4 || nx < 4 * diameter || ny < 2 * diameter) {
            throw new IllegalArgumentException("need diameter >= 4, nx >= 4 diameters and ny >= 2 diameters; got nx=" + nx
                    + " ny=" + ny + " diameter=" + diameter);
        }
        if (!(reynolds > 0) || !(inletVelocity > 0) || inletVelocity > 0.2) {
            throw new IllegalArgumentException("need reynolds > 0 and 0 < inletVelocity <= 0.2; got " + reynolds + ", "
                    + inletVelocity);
        }
        if (warmupSteps < 0 || steps < 1 || every < 1 || downsample < 1) {
            throw new IllegalArgumentException("need warmupSteps >= 0, steps >= 1, every >= 1, downsample >= 1");
        }
        if (relaxationTime(reynolds, inletVelocity, diameter) < 0.505) {
            throw new IllegalArgumentException("relaxation time " + relaxationTime(reynolds, inletVelocity, diameter)
                    + " is too close to 1/2 for a stable BGK run: raise the diameter or the inlet velocity");
        }
    }

    /** The default wake: Re 100, D = 10 on 220 x 80, 0.1 inflow; 200 snapshots, 20 per shedding period. */
    public static CylinderWakeParams defaults(String name) {
        return new CylinderWakeParams(name, 220, 80, 10, 100, 0.1, 12_000, 200, 30, 2);
    }

    public CylinderWakeParams withSteps(int s) {
        return new CylinderWakeParams(name, nx, ny, diameter, reynolds, inletVelocity, warmupSteps, s, every, downsample);
    }

    /** ν = U D / Re. */
    public double viscosity() {
        return inletVelocity * diameter / reynolds;
    }

    /** BGK relaxation time τ = 3ν + 1/2. */
    public double relaxationTime() {
        return relaxationTime(reynolds, inletVelocity, diameter);
    }

    private static double relaxationTime(double re, double u, int d) {
        return 3 * u * d / re + 0.5;
    }

    /** Saved grid points along x and y. */
    public int savedNx() {
        return (nx + downsample - 1) / downsample;
    }

    public int savedNy() {
        return (ny + downsample - 1) / downsample;
    }

    @Override
    public String toString() {
        return String.format(java.util.Locale.ROOT, "%s: %dx%d, D=%d, Re=%.0f, U=%.3g, tau=%.4f, %d warm-up steps, %d"
                        + " snapshots every %d steps, downsampled %dx", name, nx, ny, diameter, reynolds, inletVelocity,
                relaxationTime(), warmupSteps, steps, every, downsample);
    }
}
