package io.sparkcae.jobs.cli;

import io.sparkcae.prep.samples.SimParams;
import io.sparkcae.prep.samples.SimulationWriter;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

import java.nio.file.Path;
import java.util.concurrent.Callable;

/** Writes real 3D sample data (no download): advection-diffusion runs as NPY and HDF5 time series. */
@Command(name = "simulate", mixinStandardHelpOptions = true,
        description = "Write 3D advection-diffusion simulations (t, c, z, y, x float32) as <name>.npy and <name>.h5 "
                + "(dataset /fields) for trying the 3D path. No Spark.")
final class SimulateCommand implements Callable<Integer> {
    @Option(names = "--out", required = true, paramLabel = "DIR", description = "Output folder.")
    Path out;

    @Option(names = "--n", description = "Grid points per axis. Default: ${DEFAULT-VALUE}.")
    int n = 32;

    @Option(names = "--steps", description = "Saved time steps. Default: ${DEFAULT-VALUE}.")
    int steps = 16;

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
}
