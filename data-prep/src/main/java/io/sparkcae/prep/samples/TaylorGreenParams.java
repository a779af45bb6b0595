package io.sparkcae.prep.samples;

/**
 * Parameters of one 3D Taylor–Green vortex, solved by {@link TaylorGreenSimulator} on a periodic cube of side
 * 2π resolved by n lattice points per axis (grid spacing 1, time step 1 in lattice units).
 *
 * <p>Physical units: length L = n / 2π lattice spacings (so the box is 2π L), velocity U0, convective time
 * L / U0. The Reynolds number Re = U0 L / ν sets the viscosity.
 *
 * @param name      file name stem of the output
 * @param n         lattice points per axis
 * @param reynolds  Re = U0 L / ν
 * @param velocity  U0 in lattice units (keep the Mach number U0 √3 low: ≤ 0.1)
 * @param steps     saved snapshots, the first at t = 0
 * @param endTime   time of the last snapshot, in convective times L / U0
 */
public record TaylorGreenParams(String name, int n, double reynolds, double velocity, int steps, double endTime) {

    /** u, v, w and p. */
    public static final int CHANNELS = 4;

    public TaylorGreenParams {
        if (name == null || !name.matches("[A-Za-z0-9._-]+")) {
            throw new IllegalArgumentException("name must be a plain file name stem, got '" + name + "'");
        }
        if (n < 8) {
            throw new IllegalArgumentException("need n >= 8 lattice points per axis, got " + n);
        }
        if (!(reynolds > 0) || !(velocity > 0) || velocity > 0.1) {
            throw new IllegalArgumentException("need reynolds > 0 and 0 < velocity <= 0.1 (low Mach number); got "
                    + reynolds + ", " + velocity);
        }
        if (steps < 2 || !(endTime > 0)) {
            throw new IllegalArgumentException("need steps >= 2 and endTime > 0; got " + steps + ", " + endTime);
        }
        double tau = 3 * velocity * n / (2 * Math.PI) / reynolds + 0.5;
        if (tau < 0.502) {
            throw new IllegalArgumentException(String.format(java.util.Locale.ROOT, "relaxation time %.5f is too close"
                    + " to 1/2 for a stable run: lower the Reynolds number or raise n or the velocity", tau));
        }
    }

    /** Re 200 on 32³ at U0 = 0.05, 200 snapshots over 10 convective times. */
    public static TaylorGreenParams defaults(String name) {
        return new TaylorGreenParams(name, 32, 200, 0.05, 200, 10);
    }

    /** L = n / 2π: the length unit in lattice spacings. */
    public double length() {
        return n / (2 * Math.PI);
    }

    /** ν = U0 L / Re, in lattice units. */
    public double viscosity() {
        return velocity * length() / reynolds;
    }

    /** BGK relaxation time τ = 3ν + 1/2. */
    public double relaxationTime() {
        return 3 * viscosity() + 0.5;
    }

    /** Lattice steps per convective time L / U0. */
    public double convectiveTime() {
        return length() / velocity;
    }

    /** Lattice steps between saved snapshots (at least 1). */
    public int every() {
        return Math.max(1, (int) Math.round(endTime * convectiveTime() / (steps - 1)));
    }

    @Override
    public String toString() {
        return String.format(java.util.Locale.ROOT, "%s: %d^3, Re=%.0f, U0=%.3g, tau=%.5f, %d snapshots every %d steps"
                        + " (%.3g convective times apart)", name, n, reynolds, velocity, relaxationTime(), steps, every(),
                every() / convectiveTime());
    }
}
