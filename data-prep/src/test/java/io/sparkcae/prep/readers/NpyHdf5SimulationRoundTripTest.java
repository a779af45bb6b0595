package io.sparkcae.prep.readers;

import io.sparkcae.core.tensor.PatchShape;
import io.sparkcae.prep.samples.AdvectionDiffusionSimulator;
import io.sparkcae.prep.samples.SimParams;
import io.sparkcae.prep.samples.Simulation;
import io.sparkcae.prep.samples.SimulationWriter;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.util.List;

import static io.sparkcae.prep.readers.SampleAssertions.assertSameSamples;
import static io.sparkcae.prep.readers.SampleAssertions.readAll;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;

/** Simulator output written as NPY and HDF5 reads back as exactly the simulated frames, through both readers. */
class NpyHdf5SimulationRoundTripTest {

    private static final SimParams PARAMS = SimParams.defaults("adv").withGrid(12, 5);

    @TempDir
    Path dir;

    @Test
    void npyAndHdf5OutputsReadBackAsTheSimulatedFrames() {
        List<Path> files = SimulationWriter.generate(dir, PARAMS);
        assertEquals(List.of(dir.resolve("adv.npy"), dir.resolve("adv.h5")), files);
        Simulation sim = new AdvectionDiffusionSimulator(PARAMS).run();

        List<Sample> npy = readAll(new NpyVolumeReader(files.get(0).toString()), 2);
        assertEquals(5, npy.size());
        for (int t = 0; t < 5; t++) {
            assertEquals("adv.npy", npy.get(t).source());
            assertEquals(t, npy.get(t).index());
            assertEquals(PatchShape.of(4, 12, 12, 12), npy.get(t).shape());
            assertArrayEquals(sim.frames().get(t), npy.get(t).data(), "step " + t);
        }
        List<Sample> named = readAll(new Hdf5VolumeReader(files.get(1).toString(), SimulationWriter.HDF5_DATASET), 3);
        List<Sample> only = readAll(new Hdf5VolumeReader(files.get(1).toString(), ""), 1);
        assertSameSamples(NpyVolumeReaderTest.renamed(npy, "adv.h5"), named);
        assertSameSamples(named, only);
    }

    @Test
    void severalSimulationsInAFolderBecomeOneReaderEachThroughTheFactory() {
        SimulationWriter.generate(dir.resolve("npy-out"), PARAMS.withName("a-k0.01").withDiffusivity(0.01));
        SimulationWriter.generate(dir.resolve("npy-out"), PARAMS.withName("b-k0.1").withDiffusivity(0.1).withSeed(7));
        for (String format : List.of("npy", "hdf5")) {
            List<SampleReader> readers = SampleReaderFactory.open(dir.resolve("npy-out").toString(), format,
                    ImageOptions.defaults(), "/fields");
            assertEquals(2, readers.size(), format);
            VolumeSeriesReader first = assertInstanceOf(VolumeSeriesReader.class, readers.get(0));
            assertEquals(format.equals("npy") ? "a-k0.01.npy" : "a-k0.01.h5", first.source());
            assertEquals(5, first.sampleCount());
            List<Sample> b = readAll(readers.get(1), 5);
            Simulation expected = new AdvectionDiffusionSimulator(PARAMS.withName("b-k0.1").withDiffusivity(0.1)
                    .withSeed(7)).run();
            assertArrayEquals(expected.frames().get(4), b.get(4).data());
        }
    }
}
