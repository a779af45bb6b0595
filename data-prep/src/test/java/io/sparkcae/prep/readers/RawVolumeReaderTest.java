package io.sparkcae.prep.readers;

import io.sparkcae.core.error.ExitCode;
import io.sparkcae.core.error.SparkCaeException;
import io.sparkcae.core.tensor.PatchShape;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;

import static io.sparkcae.prep.readers.NpyFixtureWriter.bytes;
import static io.sparkcae.prep.readers.NpyFixtureWriter.encode;
import static io.sparkcae.prep.readers.NpyFixtureWriter.values;
import static io.sparkcae.prep.readers.SampleAssertions.assertFails;
import static io.sparkcae.prep.readers.SampleAssertions.assertSameSamples;
import static io.sparkcae.prep.readers.SampleAssertions.readAll;
import static io.sparkcae.prep.readers.SampleAssertions.roundTrip;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

class RawVolumeReaderTest {

    @TempDir
    Path dir;

    /** Writes {@code name}.raw with these bytes and {@code name}.json with this sidecar text. */
    private Path raw(String name, byte[] data, String sidecar) {
        bytes(dir.resolve(name + ".json"), sidecar.getBytes(StandardCharsets.UTF_8));
        return bytes(dir.resolve(name + ".raw"), data);
    }

    private List<Sample> npyTwin(long[] shape, double[] v) {
        Path npy = NpyFixtureWriter.write(dir.resolve("twin.npy"), 1, "<f8", false, shape, v);
        return readAll(new NpyVolumeReader(npy.toString()), 100);
    }

    @Test
    void fiveDimensionalLittleEndianFloatSeriesMatchesTheSameArrayAsNpy() {
        long[] shape = {3, 2, 2, 3, 4};
        double[] v = values(shape);
        Path file = raw("sim", encode("<f4", v),
                "{\"shape\":[3,2,2,3,4],\"dtype\":\"float32\",\"byteOrder\":\"little\",\"axes\":[\"t\",\"c\",\"z\",\"y\",\"x\"]}");
        RawVolumeReader reader = new RawVolumeReader(file.toString());
        assertEquals(3, reader.sampleCount());
        assertEquals(PatchShape.of(2, 2, 3, 4), reader.sampleShape());
        List<Sample> samples = readAll(roundTrip(reader), 2);
        assertSameSamples(NpyVolumeReaderTest.renamed(npyTwin(shape, v), "sim.raw"), samples);
    }

    @Test
    void bigEndianIntegersConvertAsIsAndDefaultAxesAreTheLastOfTczyx() {
        long[] shape = {2, 3, 4};
        double[] v = new double[24];
        for (int i = 0; i < v.length; i++) {
            v[i] = i % 2 == 0 ? -32768 + i : 32767 - i;
        }
        Path file = raw("ct", encode(">i2", v), "{\"shape\":[2,3,4],\"dtype\":\"int16\",\"byteOrder\":\"big\"}");
        Sample s = readAll(new RawVolumeReader(file.toString()), 1).get(0);
        assertEquals(PatchShape.of(1, 2, 3, 4), s.shape());
        for (int i = 0; i < v.length; i++) {
            assertEquals((float) v[i], s.data()[i]);
        }
    }

    @Test
    void uint8NeedsNoByteOrderAndIsNotRescaled() {
        double[] v = {0, 1, 128, 255, 7, 200, 3, 4};
        Path file = raw("mask", encode("|u1", v), "{\"shape\":[2,2,2],\"dtype\":\"uint8\"}");
        assertArrayEquals(new float[]{0, 1, 128, 255, 7, 200, 3, 4}, readAll(new RawVolumeReader(file.toString()), 1)
                .get(0).data());
    }

    @Test
    void axesInAnotherOrderAreTransposedToChannelsFirst() {
        // a (t, z, y, x, c) file, as many simulation codes write interleaved components
        long[] logical = {2, 3, 2, 3, 4};
        double[] v = values(logical);
        double[] interleaved = new double[v.length];
        int[] s = {3, 2, 3, 4};
        for (int t = 0; t < 2; t++) {
            for (int c = 0; c < 3; c++) {
                for (int z = 0; z < 2; z++) {
                    for (int y = 0; y < 3; y++) {
                        for (int x = 0; x < 4; x++) {
                            int cIndex = (((t * s[0] + c) * s[1] + z) * s[2] + y) * s[3] + x;
                            int fileIndex = (((t * s[1] + z) * s[2] + y) * s[3] + x) * s[0] + c;
                            interleaved[fileIndex] = v[cIndex];
                        }
                    }
                }
            }
        }
        Path file = raw("vel", encode(">f8", interleaved), "{\"shape\":[2,2,3,4,3],\"dtype\":\"float64\","
                + "\"byteOrder\":\"big\",\"axes\":[\"t\",\"z\",\"y\",\"x\",\"c\"]}");
        for (int unit : new int[]{1, 2}) {
            assertSameSamples(NpyVolumeReaderTest.renamed(npyTwin(logical, v), "vel.raw"),
                    readAll(new RawVolumeReader(file.toString()), unit));
        }
    }

    @Test
    void xSlowestFilesAreTransposedLikeFortranOrder() {
        long[] shape = {3, 4, 5};
        double[] v = values(shape);
        Path file = raw("f", encode("<f4", NpyFixtureWriter.toFortran(shape, v)),
                "{\"shape\":[5,4,3],\"dtype\":\"float32\",\"byteOrder\":\"little\",\"axes\":[\"x\",\"y\",\"z\"]}");
        assertSameSamples(NpyVolumeReaderTest.renamed(npyTwin(shape, v), "f.raw"),
                readAll(new RawVolumeReader(file.toString()), 1));
    }

    @Test
    void aTimeAxisWithoutChannelsGivesOneChannelPerStep() {
        long[] shape = {4, 2, 2, 3};
        double[] v = values(shape);
        Path file = raw("tz", encode("<f4", v),
                "{\"shape\":[4,2,2,3],\"dtype\":\"float32\",\"byteOrder\":\"little\",\"axes\":[\"t\",\"z\",\"y\",\"x\"]}");
        List<Sample> samples = readAll(new RawVolumeReader(file.toString()), 3);
        assertEquals(4, samples.size());
        assertEquals(PatchShape.of(1, 2, 2, 3), samples.get(3).shape());
        assertEquals((float) v[3 * 12 + 5], samples.get(3).data()[5]);
    }

    @Test
    void aSizeThatDoesNotMatchTheSidecarNamesBothFiles() {
        Path file = raw("short", new byte[100], "{\"shape\":[2,4,4],\"dtype\":\"float32\",\"byteOrder\":\"little\"}");
        SparkCaeException e = fails(file);
        assertEquals(file + ": size 100 bytes does not match " + dir.resolve("short.json")
                + ": shape [2, 4, 4] of float32 needs 128 bytes", e.getMessage());
        Path longer = raw("long", new byte[129], "{\"shape\":[2,4,4],\"dtype\":\"float32\",\"byteOrder\":\"little\"}");
        assertTrue(fails(longer).getMessage().contains("129 bytes"));
    }

    @Test
    void aMissingSidecarIsNamed() {
        Path file = bytes(dir.resolve("lonely.raw"), new byte[8]);
        SparkCaeException e = fails(file);
        assertTrue(e.getMessage().contains(dir.resolve("lonely.json").toString()), e.getMessage());
    }

    @ParameterizedTest
    @ValueSource(strings = {
            "{\"shape\":[2,2],\"dtype\":\"float32\",\"byteOrder\":\"little\"}",
            "{\"shape\":[2,2,2],\"dtype\":\"complex64\",\"byteOrder\":\"little\"}",
            "{\"shape\":[2,2,2],\"dtype\":\"float32\"}",
            "{\"shape\":[2,2,2],\"dtype\":\"float32\",\"byteOrder\":\"middle\"}",
            "{\"shape\":[2,2,-2],\"dtype\":\"float32\",\"byteOrder\":\"little\"}",
            "{\"shape\":[2,2,2],\"dtype\":\"float32\",\"byteOrder\":\"little\",\"axes\":[\"z\",\"y\",\"y\"]}",
            "{\"shape\":[2,2,2],\"dtype\":\"float32\",\"byteOrder\":\"little\",\"axes\":[\"t\",\"c\",\"x\"]}",
            "[1, 2, 3]",
            "{\"shape\": [2, 2, 2], "})
    void invalidSidecarsAreBadDataNamingTheSidecar(String sidecar) {
        Path file = raw("bad", new byte[32], sidecar);
        assertFails(ExitCode.BAD_DATA, dir.resolve("bad.json").toString(),
                () -> new RawVolumeReader(file.toString()).sampleCount());
    }

    @Test
    void aFolderOfRawFilesIsASeriesInNameOrder() {
        long[] shape = {2, 2, 2};
        String sidecar = "{\"shape\":[2,2,2],\"dtype\":\"float32\",\"byteOrder\":\"little\"}";
        Path folder = dir.resolve("scan");
        for (int i = 2; i >= 0; i--) {
            double[] v = NpyVolumeReaderTest.scaled(values(shape), i + 1);
            bytes(folder.resolve("s" + i + ".json"), sidecar.getBytes(StandardCharsets.UTF_8));
            bytes(folder.resolve("s" + i + ".raw"), encode("<f4", v));
        }
        List<Sample> samples = readAll(new RawVolumeReader(folder.toString()), 2);
        assertEquals(3, samples.size());
        assertEquals("scan", samples.get(1).source());
        assertEquals(1, samples.get(1).index());
        assertEquals((float) (values(shape)[5] * 2), samples.get(1).data()[5]);
    }

    private SparkCaeException fails(Path file) {
        return assertFails(ExitCode.BAD_DATA, file.toString(), () -> new RawVolumeReader(file.toString()).plan(1));
    }
}
