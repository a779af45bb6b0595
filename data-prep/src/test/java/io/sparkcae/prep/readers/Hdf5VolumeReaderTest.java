package io.sparkcae.prep.readers;

import io.sparkcae.core.error.ExitCode;
import io.sparkcae.core.error.SparkCaeException;
import io.sparkcae.core.tensor.PatchShape;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import static io.sparkcae.prep.readers.Hdf5FixtureWriter.series;
import static io.sparkcae.prep.readers.Hdf5FixtureWriter.step;
import static io.sparkcae.prep.readers.SampleAssertions.assertFails;
import static io.sparkcae.prep.readers.SampleAssertions.assertSameSamples;
import static io.sparkcae.prep.readers.SampleAssertions.readAll;
import static io.sparkcae.prep.readers.SampleAssertions.roundTrip;
import static io.sparkcae.prep.readers.SampleAssertions.toList;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

class Hdf5VolumeReaderTest {

    @TempDir
    Path dir;

    private Path twoFields() {
        Map<String, Object> data = new LinkedHashMap<>();
        data.put("fields/u", series(4, 2, 3, 4, 5, 1));
        data.put("fields/v", new double[2][3][4]);
        return Hdf5FixtureWriter.write(dir.resolve("flow.h5"), data);
    }

    @Test
    void theNamedDatasetIsReadOneStepPerSampleWhateverElseTheFileHolds() {
        Path file = twoFields();
        float[][][][][] u = series(4, 2, 3, 4, 5, 1);
        Hdf5VolumeReader reader = new Hdf5VolumeReader(file.toString(), "/fields/u");
        assertEquals(4, reader.sampleCount());
        assertEquals(PatchShape.of(2, 3, 4, 5), reader.sampleShape());
        List<ReadUnit> units = reader.plan(3);
        assertEquals(2, units.size());
        List<Sample> second = toList(roundTrip(reader).read(units.get(1)));
        assertEquals(1, second.size());
        assertEquals("flow.h5", second.get(0).source());
        assertEquals(3, second.get(0).index());
        assertArrayEquals(step(u, 3), second.get(0).data());

        // the leading slash is optional, as in h5py
        assertSameSamples(readAll(reader, 4), readAll(new Hdf5VolumeReader(file.toString(), "fields/u"), 1));
    }

    @Test
    void withoutADatasetPathTheOnlyDatasetIsReadAndSeveralAreListed() {
        Path single = Hdf5FixtureWriter.write(dir.resolve("one.h5"), Map.of("grid/phi", series(1, 1, 2, 3, 4, 2)[0]));
        List<Sample> samples = readAll(new Hdf5VolumeReader(single.toString(), ""), 10);
        assertEquals(1, samples.size());
        assertEquals(PatchShape.of(1, 2, 3, 4), samples.get(0).shape());
        assertArrayEquals(step(series(1, 1, 2, 3, 4, 2), 0), samples.get(0).data());

        Path two = twoFields();
        SparkCaeException e = assertFails(ExitCode.BAD_DATA, two.toString(),
                () -> new Hdf5VolumeReader(two.toString(), "").sampleCount());
        assertTrue(e.getMessage().contains("several HDF5 datasets (/fields/u, /fields/v)"), e.getMessage());
    }

    @Test
    void aMissingDatasetPathListsTheDatasetsThereAre() {
        Path file = twoFields();
        SparkCaeException e = assertFails(ExitCode.BAD_DATA, file.toString(),
                () -> new Hdf5VolumeReader(file.toString(), "/fields/w").plan(1));
        assertEquals(file + ": no HDF5 dataset at '/fields/w' (found: /fields/u, /fields/v)", e.getMessage());
        // a group is not a dataset
        assertFails(ExitCode.BAD_DATA, file.toString(), () -> new Hdf5VolumeReader(file.toString(), "/fields").plan(1));
    }

    @Test
    void integerDatasetsConvertAsTheyAreWithoutRescaling() {
        Map<String, Object> data = new LinkedHashMap<>();
        data.put("b", new byte[][][]{{{Byte.MIN_VALUE, -1}, {0, Byte.MAX_VALUE}}});
        data.put("s", new short[][][]{{{Short.MIN_VALUE, -1}, {1000, Short.MAX_VALUE}}});
        data.put("i", new int[][][]{{{Integer.MIN_VALUE, -1}, {123456, Integer.MAX_VALUE}}});
        data.put("l", new long[][][]{{{-(1L << 40), -1}, {7, 1L << 40}}});
        data.put("d", new double[][][]{{{1e300, -2.5}, {Double.NaN, Double.NEGATIVE_INFINITY}}});
        Path file = Hdf5FixtureWriter.write(dir.resolve("ints.h5"), data);
        Map<String, float[]> expected = Map.of(
                "b", new float[]{-128, -1, 0, 127},
                "s", new float[]{-32768, -1, 1000, 32767},
                "i", new float[]{Integer.MIN_VALUE, -1, 123456, Integer.MAX_VALUE},
                "l", new float[]{-(1L << 40), -1, 7, 1L << 40},
                "d", new float[]{Float.POSITIVE_INFINITY, -2.5f, Float.NaN, Float.NEGATIVE_INFINITY});
        expected.forEach((name, values) -> {
            Sample s = readAll(new Hdf5VolumeReader(file.toString(), name), 1).get(0);
            assertEquals(PatchShape.of(1, 1, 2, 2), s.shape(), name);
            assertArrayEquals(values, s.data(), name);
        });
    }

    @Test
    void chunkedCompressedDatasetsReadEveryChunkNotJustTheFirst() {
        Path file = Hdf5FixtureWriter.chunked(dir);
        for (int unit : new int[]{1, 2, 3}) {
            List<Sample> u = readAll(new Hdf5VolumeReader(file.toString(), "/fields/u"), unit);
            List<Sample> p = readAll(new Hdf5VolumeReader(file.toString(), "/fields/p"), unit);
            assertEquals(3, u.size());
            for (int t = 0; t < 3; t++) {
                float[] du = u.get(t).data();
                float[] dp = p.get(t).data();
                int i = 0;
                for (int c = 0; c < 2; c++) {
                    for (int z = 0; z < 4; z++) {
                        for (int y = 0; y < 5; y++) {
                            for (int x = 0; x < 6; x++, i++) {
                                int idx = Hdf5FixtureWriter.chunkedIndex(t, c, z, y, x);
                                assertEquals(idx * 0.5f - 100, du[i], "u at " + List.of(t, c, z, y, x));
                                assertEquals(idx - 500, dp[i], "p at " + List.of(t, c, z, y, x));
                            }
                        }
                    }
                }
            }
        }
    }

    @Test
    void chunksTheWriterNeverAllocatedReadAsTheFillValue() {
        Path file = Hdf5FixtureWriter.chunked(dir);
        List<Sample> steps = readAll(new Hdf5VolumeReader(file.toString(), "/partial"), 1);
        assertEquals(PatchShape.of(1, 4, 4, 4), steps.get(0).shape());
        for (int i = 0; i < 64; i++) {
            int z = i / 16;
            int y = i / 4 % 4;
            int x = i % 4;
            assertEquals(Hdf5FixtureWriter.chunkedIndex(0, 0, z, y, x) * 0.25f, steps.get(0).data()[i]);
            assertEquals(-7f, steps.get(1).data()[i]);
        }
    }

    @Test
    void nonNumericDatasetsAndWrongRanksAreBadDataNamingTheFile() {
        Map<String, Object> data = new LinkedHashMap<>();
        data.put("names", new String[][][]{{{"a", "b"}}});
        data.put("flags", new boolean[][][]{{{true, false}}});
        data.put("image", new float[4][4]);
        data.put("six", new float[1][1][1][1][1][1]);
        Path file = Hdf5FixtureWriter.write(dir.resolve("mixed.h5"), data);
        assertTrue(open(file, "names").getMessage().contains("unsupported dtype string"));
        assertTrue(open(file, "flags").getMessage().contains("unsupported dtype bitfield"));
        assertTrue(open(file, "image").getMessage().contains("has 2 dimensions"));
        assertTrue(open(file, "six").getMessage().contains("has 6 dimensions"));
    }

    @Test
    void aFileThatIsNotHdf5IsBadData() {
        Path fake = NpyFixtureWriter.f4(dir.resolve("fake.h5"), 2, 2, 2);
        SparkCaeException e = open(fake, "");
        assertTrue(e.getMessage().contains("cannot read as HDF5"), e.getMessage());
    }

    @Test
    void aFolderOfSingleStepFilesIsOneSeriesAndMustKeepOneShape() {
        Path folder = dir.resolve("steps");
        for (int t = 0; t < 3; t++) {
            Hdf5FixtureWriter.write(folder.resolve("t" + t + ".h5"), Map.of("phi", series(1, 2, 2, 3, 4, t + 1)[0]));
        }
        List<Sample> samples = readAll(new Hdf5VolumeReader(folder.toString(), "/phi"), 2);
        assertEquals(List.of(0L, 1L, 2L), samples.stream().map(Sample::index).toList());
        assertEquals("steps", samples.get(2).source());
        assertArrayEquals(step(series(1, 2, 2, 3, 4, 3), 0), samples.get(2).data());

        Path odd = Hdf5FixtureWriter.write(folder.resolve("t3.h5"), Map.of("phi", series(1, 1, 2, 3, 4, 1)[0]));
        SparkCaeException e = assertFails(ExitCode.BAD_DATA, odd.toString(),
                () -> new Hdf5VolumeReader(folder.toString(), "/phi").sampleCount());
        assertTrue(e.getMessage().contains("1x2x3x4") && e.getMessage().contains("2x2x3x4"), e.getMessage());
    }

    private static SparkCaeException open(Path file, String dataset) {
        return assertFails(ExitCode.BAD_DATA, file.toString(),
                () -> new Hdf5VolumeReader(file.toString(), dataset).plan(5));
    }
}
