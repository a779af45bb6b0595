package io.sparkcae.prep.samples;

import io.jhdf.HdfFile;
import io.jhdf.WritableHdfFile;
import io.jhdf.api.WritableDataset;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * Runs simulations and writes each as a (t, c, z, y, x) float32 time series twice: {@code <name>.npy}
 * (C order, NPY 1.0) and {@code <name>.h5} (dataset "/fields", same layout, contiguous, with the run's
 * parameters as attributes). Both load back as the same samples through the volume readers.
 *
 * A 2D cylinder wake and a 3D Taylor–Green vortex are written as NPY only.
 *
 * <p>{@code main} writes a small set of runs that differ in diffusivity and flow, for trying the 3D path:
 * {@code java -cp <data-prep classpath> io.sparkcae.prep.samples.SimulationWriter OUT_DIR [n] [steps]}.
 */
public final class SimulationWriter {

    /** The HDF5 dataset the series is stored in. */
    public static final String HDF5_DATASET = "/fields";

    private SimulationWriter() {
    }

    /** Simulates {@code p} and writes {@code dir/<name>.npy} and {@code dir/<name>.h5}; returns both paths. */
    public static List<Path> generate(Path dir, SimParams p) {
        Simulation sim = new AdvectionDiffusionSimulator(p).run();
        try {
            Files.createDirectories(dir);
            Path npy = dir.resolve(p.name() + ".npy");
            Path h5 = dir.resolve(p.name() + ".h5");
            NpyFloat32Writer.write(npy, sim.shape(), sim.frames());
            writeHdf5(h5, sim);
            return List.of(npy, h5);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write simulation " + p.name() + " to " + dir, e);
        }
    }

    /**
     * Runs a cylinder wake and writes {@code dir/<name>.npy}, a (t, 3, 1, y, x) float32 series of (u, v, p),
     * the 3D layout with one z layer.
     */
    public static Path generateCylinderWake(Path dir, CylinderWakeParams p) {
        CylinderWakeSimulator sim = new CylinderWakeSimulator(p);
        List<float[]> frames = sim.run();
        try {
            Files.createDirectories(dir);
            Path npy = dir.resolve(p.name() + ".npy");
            NpyFloat32Writer.write(npy, sim.shape(), frames);
            return npy;
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write cylinder wake " + p.name() + " to " + dir, e);
        }
    }

    /** A written Taylor–Green series and its physical checks. */
    public record TaylorGreenOutput(Path npy, TaylorGreenChecks checks) {
    }

    /**
     * Runs a 3D Taylor–Green vortex and writes {@code dir/<name>.npy}, a (t, 4, n, n, n) float32 series of
     * (u, v, w, p), with the checks of its physics measured on the run.
     */
    public static TaylorGreenOutput generateTaylorGreen(Path dir, TaylorGreenParams p) {
        TaylorGreenSimulator sim = new TaylorGreenSimulator(p);
        List<float[]> frames = sim.run();
        TaylorGreenChecks checks = TaylorGreenChecks.measure(sim, frames);
        try {
            Files.createDirectories(dir);
            Path npy = dir.resolve(p.name() + ".npy");
            NpyFloat32Writer.write(npy, sim.shape(), frames);
            return new TaylorGreenOutput(npy, checks);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write Taylor-Green vortex " + p.name() + " to " + dir, e);
        }
    }

    /** Writes the series as dataset {@value #HDF5_DATASET}, a (t, c, z, y, x) float32 array. */
    public static void writeHdf5(Path file, Simulation sim) {
        SimParams p = sim.params();
        int n = p.n();
        // jhdf writes from nested Java arrays; a frame's C-order values fill [c][z][y] rows of x.
        float[][][][][] data = new float[sim.frames().size()][p.channels()][n][n][n];
        for (int t = 0; t < data.length; t++) {
            float[] frame = sim.frames().get(t);
            int at = 0;
            for (int c = 0; c < p.channels(); c++) {
                for (int z = 0; z < n; z++) {
                    for (int y = 0; y < n; y++) {
                        System.arraycopy(frame, at, data[t][c][z][y], 0, n);
                        at += n;
                    }
                }
            }
        }
        try (WritableHdfFile hdf = HdfFile.write(file)) {
            WritableDataset fields = hdf.putDataset(HDF5_DATASET.substring(1), data);
            fields.putAttribute("axes", new String[]{"t", "c", "z", "y", "x"});
            fields.putAttribute("diffusivity", p.diffusivity());
            fields.putAttribute("abc", p.abc());
            fields.putAttribute("drift", p.drift());
            fields.putAttribute("step_time", p.stepTime());
            fields.putAttribute("seed", p.seed());
        }
    }

    /** A few runs that differ in diffusivity and flow, so their fields look different to a model. */
    public static List<SimParams> exampleSet(int n, int steps) {
        SimParams base = SimParams.defaults("adv").withGrid(n, steps);
        return List.of(
                base.withName("adv-k0.005-abc").withDiffusivity(0.005),
                base.withName("adv-k0.05-abc").withDiffusivity(0.05).withSeed(2),
                base.withName("adv-k0.02-abc-drift").withFlow(new double[]{1.0, 0.8, 0.6}, new double[]{0.5, 0, 0})
                        .withSeed(3),
                base.withName("adv-k0.02-weakflow").withFlow(new double[]{0.3, 0.2, 0.1}, new double[3]).withSeed(4));
    }

    public static void main(String[] args) {
        if (args.length < 1 || args.length > 3) {
            System.err.println("usage: SimulationWriter OUT_DIR [n (default 32)] [steps (default 16)]");
            System.exit(2);
        }
        Path dir = Path.of(args[0]);
        int n = args.length > 1 ? Integer.parseInt(args[1]) : 32;
        int steps = args.length > 2 ? Integer.parseInt(args[2]) : 16;
        List<Path> written = new ArrayList<>();
        for (SimParams p : exampleSet(n, steps)) {
            written.addAll(generate(dir, p));
            System.out.println("wrote " + p);
        }
        written.forEach(f -> System.out.println("  " + f));
    }
}
