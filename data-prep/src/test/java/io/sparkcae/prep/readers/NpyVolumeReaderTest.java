package io.sparkcae.prep.readers;

import io.sparkcae.core.tensor.PatchShape;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import java.nio.file.Path;
import java.util.List;

import static io.sparkcae.prep.readers.NpyFixtureWriter.values;
import static io.sparkcae.prep.readers.NpyFixtureWriter.write;
import static io.sparkcae.prep.readers.SampleAssertions.assertSameSamples;
import static io.sparkcae.prep.readers.SampleAssertions.readAll;
import static io.sparkcae.prep.readers.SampleAssertions.roundTrip;
import static io.sparkcae.prep.readers.SampleAssertions.toList;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

class NpyVolumeReaderTest {

    @TempDir
    Path dir;

    /** Step {@code t} of the C-order fixture values of this shape, as float. */
    static float[] step(long[] shape, int t) {
        double[] all = values(shape);
        int stepElements = all.length / (int) (shape.length == 5 ? shape[0] : 1);
        float[] out = new float[stepElements];
        for (int i = 0; i < stepElements; i++) {
            out[i] = (float) all[t * stepElements + i];
        }
        return out;
    }

    @Test
    void fiveDimensionalFileGivesOneSamplePerStepInUnitsOfAtMostTheMaximum() {
        long[] shape = {5, 2, 3, 4, 6};
        Path file = NpyFixtureWriter.f4(dir.resolve("sim.npy"), shape);
        NpyVolumeReader reader = new NpyVolumeReader(file.toString());

        assertEquals(5, reader.sampleCount());
        assertEquals(PatchShape.of(2, 3, 4, 6), reader.sampleShape());
        List<ReadUnit> units = reader.plan(2);
        assertEquals(List.of(0L, 2L, 4L), units.stream().map(ReadUnit::start).toList());
        assertEquals(List.of(2L, 2L, 1L), units.stream().map(ReadUnit::count).toList());
        assertEquals(List.of(file.toString()), units.get(1).paths());

        // a planned reader travels to the tasks serialized; read the middle unit only, as one task would
        List<Sample> middle = toList(roundTrip(reader).read(units.get(1)));
        assertEquals(2, middle.size());
        for (int i = 0; i < 2; i++) {
            Sample s = middle.get(i);
            assertEquals("sim.npy", s.source());
            assertEquals(2 + i, s.index());
            assertNull(s.label());
            assertEquals(PatchShape.of(2, 3, 4, 6), s.shape());
            assertArrayEquals(step(shape, 2 + i), s.data());
        }
    }

    @Test
    void fourDimensionalFileIsOneSampleAndThreeDimensionalHasOneChannel() {
        long[] four = {3, 4, 5, 6};
        Sample s4 = readAll(new NpyVolumeReader(NpyFixtureWriter.f4(dir.resolve("c.npy"), four).toString()), 10)
                .get(0);
        assertEquals(PatchShape.of(3, 4, 5, 6), s4.shape());
        assertArrayEquals(step(four, 0), s4.data());

        long[] three = {4, 5, 6};
        NpyVolumeReader reader = new NpyVolumeReader(NpyFixtureWriter.f4(dir.resolve("v.npy"), three).toString());
        List<Sample> samples = readAll(reader, 10);
        assertEquals(1, samples.size());
        assertEquals(0, samples.get(0).index());
        assertEquals(PatchShape.of(1, 4, 5, 6), samples.get(0).shape());
        assertArrayEquals(step(three, 0), samples.get(0).data());
    }

    /** Integers arrive as their values (no /255 or /65535), in either byte order, extremes included. */
    @ParameterizedTest
    @CsvSource({
            "<f4, -1.5e30, 3.25", ">f4, -1.5e30, 3.25", "<f8, -1e300, 0.1", ">f8, 1e-300, 0.1",
            "|u1, 0, 255", "|i1, -128, 127", "<i2, -32768, 32767", ">i2, -32768, 32767",
            "<u2, 0, 65535", ">u2, 0, 65535", "<i4, -2147483648, 2147483647", ">i4, -2147483648, 2147483647",
            "<i8, -1099511627776, 1099511627776", ">i8, -1099511627776, 1099511627776", "<u4, 0, 4294967295"})
    void everyDtypeConvertsValuesAsTheyAre(String descr, double low, double high) {
        long[] shape = {1, 2, 3, 2};
        double[] v = new double[12];
        for (int i = 0; i < v.length; i++) {
            v[i] = i % 3 == 0 ? low : i % 3 == 1 ? high : i;
        }
        Path file = write(dir.resolve("x.npy"), 1, descr, false, shape, v);
        float[] data = readAll(new NpyVolumeReader(file.toString()), 1).get(0).data();
        for (int i = 0; i < v.length; i++) {
            // float64 values beyond float range become infinities/zeros, exactly as a (float) cast does
            assertEquals((float) v[i], data[i], descr + " element " + i);
        }
    }

    @Test
    void floatFieldsKeepPhysicalUnitsAndNonFiniteValuesPassThrough() {
        double[] v = {1e5, -273.15, Double.NaN, Double.POSITIVE_INFINITY, Double.NEGATIVE_INFINITY, 0, 2e-7, 42};
        Path file = write(dir.resolve("t.npy"), 1, "<f8", false, new long[]{2, 2, 2}, v);
        float[] data = readAll(new NpyVolumeReader(file.toString()), 1).get(0).data();
        assertEquals(1e5f, data[0]);
        assertEquals(-273.15f, data[1]);
        assertTrue(Float.isNaN(data[2]));
        assertEquals(Float.POSITIVE_INFINITY, data[3]);
        assertEquals(Float.NEGATIVE_INFINITY, data[4]);
        assertEquals(2e-7f, data[6]);
    }

    @Test
    void fortranOrderFilesReadLikeTheirCOrderTwin() {
        for (long[] shape : List.of(new long[]{4, 3, 2, 5, 3}, new long[]{3, 4, 5}, new long[]{2, 3, 4, 2})) {
            double[] v = values(shape);
            Path c = write(dir.resolve("c.npy"), 1, "<f4", false, shape, v);
            Path f = write(dir.resolve("f.npy"), 1, "<f4", true, shape, v);
            Path fBig = write(dir.resolve("fb.npy"), 2, ">f8", true, shape, v);
            List<Sample> expected = readAll(new NpyVolumeReader(c.toString()), 3);
            // different unit sizes exercise gathers that start mid-series
            for (int units : new int[]{1, 3}) {
                assertSameSamples(renamed(expected, "f.npy"), readAll(new NpyVolumeReader(f.toString()), units));
                assertSameSamples(renamed(expected, "fb.npy"), readAll(new NpyVolumeReader(fBig.toString()), units));
            }
        }
    }

    @Test
    void headerVersionsTwoAndThreeReadLikeVersionOne() {
        long[] shape = {3, 1, 2, 3, 4};
        double[] v = values(shape);
        List<Sample> v1 = readAll(new NpyVolumeReader(write(dir.resolve("a.npy"), 1, "<f4", false, shape, v)
                .toString()), 2);
        for (int version : new int[]{2, 3}) {
            Path file = write(dir.resolve("a.npy"), version, "<f4", false, shape, v);
            assertSameSamples(v1, readAll(new NpyVolumeReader(file.toString()), 2));
        }
        assertEquals(3, v1.size());
    }

    @Test
    void aFolderOfOneStepFilesIsASeriesInNameOrderNamedAfterTheFolder() {
        long[] shape = {2, 3, 3, 3};
        Path series = dir.resolve("run7");
        // written out of order: the series follows names, not creation time
        write(series.resolve("step_002.npy"), 1, "<f4", false, shape, scaled(values(shape), 3));
        write(series.resolve("step_000.npy"), 1, "<f4", false, shape, scaled(values(shape), 1));
        write(series.resolve("step_001.npy"), 1, ">f4", true, shape, scaled(values(shape), 2));
        NpyFixtureWriter.bytes(series.resolve("notes.txt"), new byte[]{1, 2, 3});

        NpyVolumeReader reader = new NpyVolumeReader(series.toString());
        assertEquals(3, reader.sampleCount());
        List<ReadUnit> units = reader.plan(2);
        assertEquals(2, units.get(0).paths().size(), "a unit names the files it reads");
        List<Sample> samples = readAll(reader, 2);
        for (int i = 0; i < 3; i++) {
            assertEquals("run7", samples.get(i).source());
            assertEquals(i, samples.get(i).index());
            float[] expected = new float[54];
            double[] v = scaled(values(shape), i + 1);
            for (int k = 0; k < 54; k++) {
                expected[k] = (float) v[k];
            }
            assertArrayEquals(expected, samples.get(i).data(), "step " + i);
        }
    }

    @Test
    void readingTouchesOnlyTheUnitsStepsOfALargeMappedFile() {
        long[] shape = {40, 2, 16, 16, 16};
        Path file = NpyFixtureWriter.f4(dir.resolve("big.npy"), shape);
        NpyVolumeReader reader = new NpyVolumeReader(file.toString());
        ReadUnit last = reader.plan(7).get(5);
        List<Sample> samples = toList(reader.read(last));
        assertEquals(List.of(35L, 36L, 37L, 38L, 39L), samples.stream().map(Sample::index).toList());
        assertArrayEquals(step(shape, 39), samples.get(4).data());
    }

    static List<Sample> renamed(List<Sample> samples, String source) {
        return samples.stream().map(s -> new Sample(source, s.index(), s.label(), s.shape(), s.data())).toList();
    }

    static double[] scaled(double[] v, double factor) {
        double[] out = v.clone();
        for (int i = 0; i < out.length; i++) {
            out[i] *= factor;
        }
        return out;
    }
}
