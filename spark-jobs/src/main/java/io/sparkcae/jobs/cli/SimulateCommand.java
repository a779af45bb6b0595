package io.sparkcae.jobs.cli;

import io.sparkcae.prep.samples.CylinderWakeParams;
import io.sparkcae.prep.samples.SimParams;
import io.sparkcae.prep.samples.SimulationWriter;
import io.sparkcae.prep.samples.TaylorGreenParams;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

import java.nio.file.Path;
import java.util.concurrent.Callable;

/**
 * Writes real sample data (no download): 3D advection-diffusion runs as NPY and HDF5 time series, a 2D
 * cylinder wake (lattice Boltzmann) as an NPY series with one z layer, or a decaying 3D Taylor–Green vortex
 * (lattice Boltzmann) as an NPY series of (u, v, w, p) with its physical checks printed.
 */
@Command(name = "simulate", mixinStandardHelpOptions = true,
        description = "Write 3D advection-diffusion simulations (t, c, z, y, x float32) as <name>.npy and <name>.h5 "
                + "(dataset /fields) for trying the 3D path, or (--case cylinder-wake) a periodic 2D cylinder wake "
                + "at Re ~ 100 as <name>.npy (t, 3, 1, y, x: u, v, p), or (--case taylor-green-3d) a decaying 3D Taylor-Green "
                + "vortex as <name>.npy (t, 4, n, n, n: u, v, w, p). No Spark.")
final class SimulateCommand implements Callable<Integer> {
    /** What to simulate. */
    enum Case { advection, cylinder_wake, taylor_green_3d }

    @Option(names = "--case", converter = CaseConverter.class,
            description = "advection (3D advection-diffusion), cylinder-wake (2D flow past a cylinder, D2Q9 lattice "
                    + "Boltzmann) or taylor-green-3d (decaying 3D Taylor-Green vortex on a periodic cube, D3Q19 lattice "
                    + "Boltzmann; --n, --re, --steps, --end-time). Default: advection.")
    Case flowCase = Case.advection;

    /** The wake's defaults, which the options below start from and the inlet velocity keeps. */
    private static final CylinderWakeParams WAKE = CylinderWakeParams.defaults("cylinder-wake");

    @Option(names = "--nx", description = "cylinder-wake: grid points along the flow. Default: ${DEFAULT-VALUE}.")
    int nx = WAKE.nx();

    @Option(names = "--ny", description = "cylinder-wake: grid points across it (periodic). Default: ${DEFAULT-VALUE}.")
    int ny = WAKE.ny();

    @Option(names = "--diameter", description = "cylinder-wake: cylinder diameter in grid points. Default: ${DEFAULT-VALUE}.")
    int diameter = WAKE.diameter();

    @Option(names = "--re", description = "cylinder-wake: Reynolds number U D / nu (default 100); taylor-green-3d: "
            + "U0 L / nu with L = box / 2 pi (default 200).")
    Double reynolds;

    /** The Taylor-Green vortex's defaults. */
    private static final TaylorGreenParams TGV = TaylorGreenParams.defaults("taylor-green");

    @Option(names = "--end-time", description = "taylor-green-3d: time of the last snapshot in convective times L / U0 "
            + "(the dissipation peaks near 6 at Re 200). Default: ${DEFAULT-VALUE}.")
    double endTime = TGV.endTime();

    @Option(names = "--warmup", description = "cylinder-wake: lattice steps before the first snapshot. Default: ${DEFAULT-VALUE}.")
    int warmup = WAKE.warmupSteps();

    @Option(names = "--every", description = "cylinder-wake: lattice steps between snapshots. Default: ${DEFAULT-VALUE}.")
    int every = WAKE.every();

    @Option(names = "--downsample", description = "cylinder-wake: keep every k-th grid point. Default: ${DEFAULT-VALUE}.")
    int downsample = WAKE.downsample();

    /** Reads the case in kebab case, as the help writes it. */
    static final class CaseConverter implements picocli.CommandLine.ITypeConverter<Case> {
        @Override
        public Case convert(String value) {
            return Case.valueOf(value.trim().toLowerCase(java.util.Locale.ROOT).replace('-', '_'));
        }
    }

    @Option(names = "--out", required = true, paramLabel = "DIR", description = "Output folder.")
    Path out;

    @Option(names = "--n", description = "Grid points per axis (advection, taylor-green-3d). Default: ${DEFAULT-VALUE}.")
    int n = 32;

    @Option(names = "--steps", description = "Saved time steps (default 16; taylor-green-3d: 200, the first at t = 0).")
    Integer steps;

    @Option(names = "--channels", description = "1 (scalar) or 4 (scalar + velocity). Default: ${DEFAULT-VALUE}.")
    int channels = 4;

    @Option(names = "--diffusivity", split = ",", description = "Diffusivity per run (one run each). Default: ${DEFAULT-VALUE}.")
    double[] diffusivity = {0.005, 0.02, 0.05};

    @Option(names = "--drift", description = "Uniform x-velocity added to the ABC flow. Default: ${DEFAULT-VALUE}.")
    double drift = 0.0;

    @Option(names = "--seed", description = "Seed of the initial blobs (run i uses seed + i). Default: ${DEFAULT-VALUE}.")
    long seed = 1;

    @Option(names = "--abc", split = ",", paramLabel = "A,B,C",
            description = "ABC flow coefficients; 0,0,0 with a --drift gives pure transport. Default: 1.0,0.8,0.6.")
    double[] abc;

    @Option(names = "--blobs", description = "Gaussian blobs in the initial scalar. Default: ${DEFAULT-VALUE}.")
    int blobs = 3;

    @Option(names = "--same-blobs", description = "Every run starts from the blobs of --seed (runs then differ only "
            + "in diffusivity): a family of snapshots with few degrees of freedom, as the rom showcase uses.")
    boolean sameBlobs;

    @Override
    public Integer call() {
        if (flowCase == Case.cylinder_wake) {
            return cylinderWake();
        }
        if (flowCase == Case.taylor_green_3d) {
            return taylorGreen();
        }
        int steps = this.steps != null ? this.steps : 16;
        for (int i = 0; i < diffusivity.length; i++) {
            String name = String.format(java.util.Locale.ROOT, "adv-n%d-k%s", n, diffusivity[i]);
            SimParams p = SimParams.defaults(name).withGrid(n, steps).withChannels(channels)
                    .withDiffusivity(diffusivity[i]).withSeed(sameBlobs ? seed : seed + i).withBlobs(blobs);
            if (abc != null && abc.length != 3) {
                throw new picocli.CommandLine.ParameterException(new picocli.CommandLine(this),
                        "--abc needs three comma-separated values, got " + abc.length);
            }
            if (drift != 0 || abc != null) {
                p = p.withFlow(abc != null ? abc : p.abc(), new double[]{drift, 0, 0});
            }
            long t0 = System.nanoTime();
            SimulationWriter.generate(out, p).forEach(f -> System.out.println("wrote " + f));
            System.out.printf(java.util.Locale.ROOT, "  %s in %.1f s%n", p, (System.nanoTime() - t0) / 1e9);
        }
        return 0;
    }

    private int cylinderWake() {
        double re = reynolds != null ? reynolds : WAKE.reynolds();
        String name = String.format(java.util.Locale.ROOT, "wake-re%.0f-%dx%d", re, nx, ny);
        CylinderWakeParams p;
        try {
            p = new CylinderWakeParams(name, nx, ny, diameter, re, WAKE.inletVelocity(), warmup,
                    steps != null ? steps : 16, every, downsample);
        } catch (IllegalArgumentException e) {
            throw new picocli.CommandLine.ParameterException(new picocli.CommandLine(this), e.getMessage());
        }
        long t0 = System.nanoTime();
        System.out.println("wrote " + SimulationWriter.generateCylinderWake(out, p));
        System.out.printf(java.util.Locale.ROOT, "  %s in %.1f s%n", p, (System.nanoTime() - t0) / 1e9);
        return 0;
    }

    private int taylorGreen() {
        double re = reynolds != null ? reynolds : TGV.reynolds();
        String name = String.format(java.util.Locale.ROOT, "tgv-re%.0f-n%d", re, n);
        TaylorGreenParams p;
        try {
            p = new TaylorGreenParams(name, n, re, TGV.velocity(), steps != null ? steps : TGV.steps(), endTime);
        } catch (IllegalArgumentException e) {
            throw new picocli.CommandLine.ParameterException(new picocli.CommandLine(this), e.getMessage());
        }
        long t0 = System.nanoTime();
        SimulationWriter.TaylorGreenOutput written = SimulationWriter.generateTaylorGreen(out, p);
        System.out.println("wrote " + written.npy());
        System.out.printf(java.util.Locale.ROOT, "  %s in %.1f s%n", p, (System.nanoTime() - t0) / 1e9);
        System.out.println("  checks: " + written.checks().describe());
        return 0;
    }
}
