package io.sparkcae.prep.readers;

import io.sparkcae.core.error.ExitCode;
import io.sparkcae.core.error.SparkCaeException;
import io.sparkcae.core.tensor.PatchShape;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.util.List;

import static io.sparkcae.prep.readers.IdxFileWriter.gzip;
import static io.sparkcae.prep.readers.IdxFileWriter.images;
import static io.sparkcae.prep.readers.IdxFileWriter.labels;
import static io.sparkcae.prep.readers.IdxFileWriter.write;
import static io.sparkcae.prep.readers.SampleAssertions.assertFails;
import static io.sparkcae.prep.readers.SampleAssertions.assertSameSamples;
import static io.sparkcae.prep.readers.SampleAssertions.readAll;
import static io.sparkcae.prep.readers.SampleAssertions.roundTrip;
import static io.sparkcae.prep.readers.SampleAssertions.toList;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

class IdxSampleReaderTest {

    @TempDir
    Path dir;

    @Test
    void readsImagesScaledTo01WithLabelsAndFileNameAsSource() {
        Path img = write(dir.resolve("train-images-idx3-ubyte"), images(7, 3, 4));
        Path lbl = write(dir.resolve("train-labels-idx1-ubyte"), labels(7));
        IdxSampleReader reader = new IdxSampleReader(img.toString(), lbl.toString());

        assertEquals(7, reader.sampleCount());
        List<Sample> samples = readAll(reader, 100);
        assertEquals(7, samples.size());
        for (int i = 0; i < 7; i++) {
            Sample s = samples.get(i);
            assertEquals("train-images-idx3-ubyte", s.source());
            assertEquals(i, s.index());
            assertEquals(IdxFileWriter.label(i), s.label());
            assertEquals(PatchShape.of(1, 3, 4), s.shape());
            for (int p = 0; p < 12; p++) {
                assertEquals(IdxFileWriter.pixel(i, p) / 255f, s.data()[p], "image " + i + " pixel " + p);
            }
        }
        // the fixture covers both ends of the byte range, so scaling reaches exactly 0 and 1
        float min = 1;
        float max = 0;
        for (int i = 0; i < 7; i++) {
            for (float v : samples.get(i).data()) {
                min = Math.min(min, v);
                max = Math.max(max, v);
            }
        }
        assertEquals(0f, min);
        assertEquals(1f, max);
    }

    @Test
    void gzipIsRecognisedByContentNotByName() {
        Path plainNamedGz = write(dir.resolve("a-images.gz"), images(5, 2, 2));
        Path gzNamedPlain = write(dir.resolve("b-images"), gzip(images(5, 2, 2)));
        List<Sample> plain = readAll(new IdxSampleReader(plainNamedGz.toString(), null), 100);
        List<Sample> gz = readAll(new IdxSampleReader(gzNamedPlain.toString(), null), 100);
        assertEquals(5, gz.size());
        for (int i = 0; i < 5; i++) {
            assertEquals(plain.get(i).shape(), gz.get(i).shape());
            assertArrayEquals(plain.get(i).data(), gz.get(i).data());
            assertNull(gz.get(i).label());
        }
    }

    @Test
    void manySmallUnitsReadTheSameSamplesAsOneUnit() {
        for (boolean compressed : new boolean[]{false, true}) {
            String suffix = compressed ? ".gz" : "";
            Path img = write(dir.resolve("x-images-idx3-ubyte" + suffix),
                    compressed ? gzip(images(10, 5, 3)) : images(10, 5, 3));
            Path lbl = write(dir.resolve("x-labels-idx1-ubyte" + suffix),
                    compressed ? gzip(labels(10)) : labels(10));
            IdxSampleReader reader = new IdxSampleReader(img.toString(), lbl.toString());

            List<ReadUnit> units = reader.plan(3);
            assertEquals(List.of(0L, 3L, 6L, 9L), units.stream().map(ReadUnit::start).toList());
            assertEquals(List.of(3L, 3L, 3L, 1L), units.stream().map(ReadUnit::count).toList());
            assertEquals(List.of(img.toString()), units.get(2).paths());
            assertEquals(lbl.toString(), units.get(2).labelsPath());

            assertSameSamples(readAll(reader, 10), readAll(reader, 3));
            // a reader shipped to a task after planning reads the unit the same way
            IdxSampleReader shipped = roundTrip(reader);
            List<Sample> third = toList(shipped.read(units.get(2)));
            assertSameSamples(readAll(reader, 10).subList(6, 9), third);
        }
    }

    @Test
    void acceptsFileUris() {
        Path img = write(dir.resolve("u-images-idx3-ubyte"), images(4, 2, 3));
        IdxSampleReader byUri = new IdxSampleReader(img.toUri().toString(), null);
        assertEquals(4, byUri.sampleCount());
        assertSameSamples(readAll(new IdxSampleReader(img.toString(), null), 4), readAll(byUri, 4));
    }

    @Test
    void wrongImageMagicIsBadDataNamingTheFile() {
        Path notImages = write(dir.resolve("labels-as-images"), labels(3));
        SparkCaeException e = assertFails(ExitCode.BAD_DATA, notImages.toString(),
                () -> new IdxSampleReader(notImages.toString(), null).sampleCount());
        assertEquals(notImages + ": not an IDX image file: magic 0x00000801 (expected 0x00000803)", e.getMessage());
    }

    @Test
    void wrongLabelMagicIsBadDataNamingTheLabelFile() {
        Path img = write(dir.resolve("i-images"), images(3, 2, 2));
        Path lbl = write(dir.resolve("i-labels"), images(3, 2, 2));
        SparkCaeException e = assertFails(ExitCode.BAD_DATA, lbl.toString(),
                () -> new IdxSampleReader(img.toString(), lbl.toString()).plan(10));
        assertEquals(lbl + ": not an IDX label file: magic 0x00000803 (expected 0x00000801)", e.getMessage());
    }

    @Test
    void truncatedPlainFileIsFoundFromItsSizeWhenPlanning() {
        // 16-byte header + 3 of the 5 promised 3x4 images
        Path img = write(dir.resolve("t-images"), images(5, 3, 3, 4));
        IdxSampleReader reader = new IdxSampleReader(img.toString(), null);
        SparkCaeException e = assertFails(ExitCode.BAD_DATA, img.toString(), reader::sampleCount);
        assertEquals(img + ": truncated: header promises 5 images of 3x4 (76 bytes) but the file ends after 52 bytes",
                e.getMessage());
        assertFails(ExitCode.BAD_DATA, img.toString(), () -> reader.plan(2));
    }

    @Test
    void truncatedGzipFileIsFoundWhenReadingTheMissingRecords() {
        Path img = write(dir.resolve("t-images.gz"), gzip(images(5, 3, 3, 4)));
        IdxSampleReader reader = new IdxSampleReader(img.toString(), null);
        List<ReadUnit> units = reader.plan(2);
        assertEquals(3, units.size());
        assertEquals(2, toList(reader.read(units.get(0))).size());
        SparkCaeException e = assertFails(ExitCode.BAD_DATA, img.toString(), () -> reader.read(units.get(1)));
        assertEquals(img + ": truncated: header promises 5 images of 3x4 (76 bytes) but the file ends after 52 bytes",
                e.getMessage());
        // the start of the last unit lies beyond the end: found while skipping
        assertFails(ExitCode.BAD_DATA, img.toString(), () -> reader.read(units.get(2)));
    }

    @Test
    void gzipStreamCutShortIsReportedAsTruncated() {
        byte[] whole = gzip(images(50, 8, 8));
        Path img = write(dir.resolve("cut-images.gz"), IdxFileWriter.firstBytes(whole, whole.length / 2));
        IdxSampleReader reader = new IdxSampleReader(img.toString(), null);
        SparkCaeException e = assertFails(ExitCode.BAD_DATA, img.toString(), () -> readAll(reader, 100));
        assertTrue(e.getMessage().startsWith(img + ": truncated: header promises 50 images of 8x8"),
                e.getMessage());
    }

    @Test
    void truncatedPlainLabelFileIsFoundWhenPlanning() {
        Path img = write(dir.resolve("l-images"), images(4, 2, 2));
        byte[] full = labels(4);
        Path lbl = write(dir.resolve("l-labels"), IdxFileWriter.firstBytes(full, full.length - 2));
        SparkCaeException e = assertFails(ExitCode.BAD_DATA, lbl.toString(),
                () -> new IdxSampleReader(img.toString(), lbl.toString()).plan(10));
        assertEquals(lbl + ": truncated: header promises 4 labels (12 bytes) but the file ends after 10 bytes",
                e.getMessage());
    }

    @Test
    void labelCountDifferentFromImageCountNamesBothFiles() {
        Path img = write(dir.resolve("m-images"), images(4, 2, 2));
        Path lbl = write(dir.resolve("m-labels"), labels(5));
        SparkCaeException e = assertFails(ExitCode.BAD_DATA, lbl.toString(),
                () -> new IdxSampleReader(img.toString(), lbl.toString()).sampleCount());
        assertEquals(lbl + ": has 5 labels but " + img + " has 4 images", e.getMessage());
    }

    @Test
    void missingPathIsAUsageError() {
        String missing = dir.resolve("nope-images-idx3-ubyte").toString();
        SparkCaeException e = assertFails(ExitCode.USAGE, missing,
                () -> new IdxSampleReader(missing, null).plan(10));
        assertEquals(missing + ": input path does not exist", e.getMessage());

        Path img = write(dir.resolve("ok-images"), images(2, 2, 2));
        String missingLabels = dir.resolve("nope-labels").toString();
        assertFails(ExitCode.USAGE, missingLabels, () -> new IdxSampleReader(img.toString(), missingLabels).plan(10));
    }

    @Test
    void fileShorterThanTheHeaderIsBadData() {
        Path img = write(dir.resolve("short-images"), IdxFileWriter.firstBytes(images(2, 2, 2), 9));
        SparkCaeException e = assertFails(ExitCode.BAD_DATA, img.toString(),
                () -> new IdxSampleReader(img.toString(), null).sampleCount());
        assertEquals(img + ": truncated: the IDX header needs 16 bytes but the file ends after 9 bytes", e.getMessage());
    }

    @Test
    void dataPastTheHeadersCountIsBadDataNotIgnored() {
        byte[] exact = images(3, 2, 2);
        byte[] longer = java.util.Arrays.copyOf(exact, exact.length + 5);
        Path plain = write(dir.resolve("x-images"), longer);
        SparkCaeException e = assertFails(ExitCode.BAD_DATA, plain.toString(),
                () -> new IdxSampleReader(plain.toString(), null).plan(10));
        assertTrue(e.getMessage().contains("5 bytes after the 3 records"), e.getMessage());
        // gzip: only the task that reads the last record sees it
        Path gz = write(dir.resolve("x-images.gz"), gzip(longer));
        IdxSampleReader reader = new IdxSampleReader(gz.toString(), null);
        List<ReadUnit> units = reader.plan(2);
        assertEquals(2, toList(reader.read(units.get(0))).size(), "an earlier unit reads as before");
        assertFails(ExitCode.BAD_DATA, gz.toString(), () -> reader.read(units.get(1)));
    }
}
