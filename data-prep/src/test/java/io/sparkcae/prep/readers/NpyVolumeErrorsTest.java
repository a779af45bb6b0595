package io.sparkcae.prep.readers;

import io.sparkcae.core.error.ExitCode;
import io.sparkcae.core.error.SparkCaeException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.io.IOException;
import java.io.RandomAccessFile;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Iterator;

import static io.sparkcae.prep.readers.NpyFixtureWriter.bytes;
import static io.sparkcae.prep.readers.NpyFixtureWriter.header;
import static io.sparkcae.prep.readers.SampleAssertions.assertFails;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Every way an .npy file can be wrong fails with BAD_DATA, one line naming the file and the problem. */
class NpyVolumeErrorsTest {

    @TempDir
    Path dir;

    private SparkCaeException fails(Path file) {
        return assertFails(ExitCode.BAD_DATA, file.toString(), () -> new NpyVolumeReader(file.toString()).plan(10));
    }

    @Test
    void truncatedDataSaysWhatTheHeaderNeedsAndWhatTheFileHas() throws IOException {
        Path file = NpyFixtureWriter.f4(dir.resolve("cut.npy"), 2, 3, 4, 4, 4);
        long full = Files.size(file);
        byte[] content = Files.readAllBytes(file);
        bytes(file, Arrays.copyOf(content, (int) full - 100));
        SparkCaeException e = fails(file);
        assertEquals(file + ": truncated: header shape (2, 3, 4, 4, 4) of <f4 needs 1536 bytes of data, file has 1436",
                e.getMessage());
    }

    @Test
    void fileShrunkAfterPlanningFailsTheReadInsteadOfCrashingTheMapping() throws IOException {
        Path file = NpyFixtureWriter.f4(dir.resolve("shrunk.npy"), 4, 1, 8, 8, 8);
        NpyVolumeReader reader = new NpyVolumeReader(file.toString());
        ReadUnit last = reader.plan(1).get(3);
        try (RandomAccessFile raf = new RandomAccessFile(file.toFile(), "rw")) {
            raf.setLength(raf.length() - 1000);
        }
        Iterator<Sample> samples = reader.read(last);
        SparkCaeException e = assertFails(ExitCode.BAD_DATA, file.toString(), samples::next);
        assertTrue(e.getMessage().contains("truncated"), e.getMessage());
    }

    @ParameterizedTest
    @ValueSource(strings = {"<c8", "<c16", "|O", "O", "<U8", "|b1", "<f2", "<M8[ns]"})
    void unsupportedDtypesAreNamed(String descr) {
        Path file = bytes(dir.resolve("odd.npy"), header(1, "{'descr': '" + descr
                + "', 'fortran_order': False, 'shape': (2, 2, 2), }"));
        SparkCaeException e = fails(file);
        assertTrue(e.getMessage().contains("unsupported NPY dtype '" + descr + "'"), e.getMessage());
    }

    @Test
    void complexAndObjectDtypesSayWhatKindTheyAre() {
        Path complex = bytes(dir.resolve("z.npy"), header(1, "{'descr': '<c8', 'fortran_order': False, 'shape': (2, 2, 2), }"));
        assertTrue(fails(complex).getMessage().contains("(complex)"));
        Path object = bytes(dir.resolve("o.npy"), header(1, "{'descr': '|O', 'fortran_order': False, 'shape': (2, 2, 2), }"));
        assertTrue(fails(object).getMessage().contains("(object)"));
        Path structured = bytes(dir.resolve("s.npy"), header(1,
                "{'descr': [('a', '<f4'), ('b', '<i4')], 'fortran_order': False, 'shape': (2, 2, 2), }"));
        assertTrue(fails(structured).getMessage().contains("(structured)"));
    }

    @Test
    void wrongMagicIsNotAnNpyFile() {
        Path file = bytes(dir.resolve("fake.npy"), "PK\3\4 this is a zip, not an array".getBytes());
        assertTrue(fails(file).getMessage().contains("not an NPY file"));
        Path tiny = bytes(dir.resolve("tiny.npy"), new byte[]{(byte) 0x93, 'N', 'U'});
        assertTrue(fails(tiny).getMessage().contains("file has 3 bytes"));
    }

    @Test
    void unknownFormatVersionIsRefused() {
        byte[] h = header(1, "{'descr': '<f4', 'fortran_order': False, 'shape': (1, 1, 1), }");
        h[6] = 4;
        Path file = bytes(dir.resolve("v4.npy"), h);
        assertTrue(fails(file).getMessage().contains("version 4.0"));
    }

    @Test
    void headerThatEndsEarlyIsTruncated() {
        byte[] h = header(2, "{'descr': '<f4', 'fortran_order': False, 'shape': (1, 1, 1), }");
        Path file = bytes(dir.resolve("h.npy"), Arrays.copyOf(h, 30));
        assertTrue(fails(file).getMessage().contains("truncated"));
    }

    @ParameterizedTest
    @ValueSource(strings = {"(16, 16)", "(7,)", "()", "(1, 2, 2, 2, 2, 2)"})
    void arraysWithoutThreeToFiveAxesAreNotVolumes(String shape) {
        long[] dims = Arrays.stream(shape.replaceAll("[()]", "").split(",")).map(String::strip)
                .filter(s -> !s.isEmpty()).mapToLong(Long::parseLong).toArray();
        byte[] data = new byte[(int) NpyFixtureWriter.count(dims) * 4];
        Path file = bytes(dir.resolve("flat.npy"), NpyFixtureWriter.concat(header(1,
                "{'descr': '<f4', 'fortran_order': False, 'shape': " + shape + ", }"), data));
        SparkCaeException e = fails(file);
        assertTrue(e.getMessage().contains("has " + dims.length + " dimensions"), e.getMessage());
    }

    @Test
    void headerWithoutShapeIsBadData() {
        Path file = bytes(dir.resolve("noshape.npy"), header(1, "{'descr': '<f4', 'fortran_order': False}"));
        assertTrue(fails(file).getMessage().contains("'shape'"));
    }

    @Test
    void aFolderFileWithAnotherShapeIsNamedWithBothShapes() {
        Path series = dir.resolve("series");
        NpyFixtureWriter.f4(series.resolve("a.npy"), 2, 4, 4, 4);
        NpyFixtureWriter.f4(series.resolve("b.npy"), 2, 4, 4, 4);
        Path odd = NpyFixtureWriter.f4(series.resolve("c.npy"), 2, 4, 4, 5);
        SparkCaeException e = assertFails(ExitCode.BAD_DATA, odd.toString(),
                () -> new NpyVolumeReader(series.toString()).sampleCount());
        assertTrue(e.getMessage().contains("2x4x4x5") && e.getMessage().contains("2x4x4x4"), e.getMessage());
        assertTrue(e.getMessage().contains(series.resolve("a.npy").toString()), e.getMessage());
    }

    @Test
    void aFolderWithoutNpyFilesIsBadData() {
        Path empty = dir.resolve("empty");
        bytes(empty.resolve("readme.txt"), new byte[]{'x'});
        assertFails(ExitCode.BAD_DATA, empty.toString(), () -> new NpyVolumeReader(empty.toString()).sampleCount());
    }
}
