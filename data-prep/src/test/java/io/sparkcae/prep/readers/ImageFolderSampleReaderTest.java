package io.sparkcae.prep.readers;

import io.sparkcae.core.error.ExitCode;
import io.sparkcae.core.error.SparkCaeException;
import io.sparkcae.core.tensor.PatchShape;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;

import static io.sparkcae.prep.readers.ImageFileWriter.gray8;
import static io.sparkcae.prep.readers.SampleAssertions.assertFails;
import static io.sparkcae.prep.readers.SampleAssertions.assertSameSamples;
import static io.sparkcae.prep.readers.SampleAssertions.readAll;
import static io.sparkcae.prep.readers.SampleAssertions.roundTrip;
import static io.sparkcae.prep.readers.SampleAssertions.toList;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

class ImageFolderSampleReaderTest {

    @TempDir
    Path root;

    private ImageFolderSampleReader reader(ImageOptions options) {
        return new ImageFolderSampleReader(root.toString(), options);
    }

    @Test
    void classSubfoldersGiveLabelsInSortedOrderAndSourcesAreRelative() throws Exception {
        gray8(root.resolve("dog/b.png"), 4, 3, (x, y) -> 10);
        gray8(root.resolve("cat/z.png"), 4, 3, (x, y) -> 20);
        gray8(root.resolve("cat/a.png"), 4, 3, (x, y) -> 30);
        gray8(root.resolve("bird/nested/deep.png"), 4, 3, (x, y) -> 40);
        Files.writeString(root.resolve("cat/notes.txt"), "not an image");

        ImageFolderSampleReader reader = reader(ImageOptions.defaults());
        List<Sample> samples = readAll(reader, 100);
        assertEquals(List.of("bird/nested/deep.png", "cat/a.png", "cat/z.png", "dog/b.png"),
                samples.stream().map(Sample::source).toList());
        assertEquals(Arrays.asList(0, 1, 1, 2), samples.stream().map(Sample::label).toList());
        assertEquals(List.of("bird", "cat", "dog"), reader.classes());
        assertEquals(4, reader.sampleCount());
        for (Sample s : samples) {
            assertEquals(0, s.index());
            assertEquals(PatchShape.of(1, 3, 4), s.shape());
        }
        assertEquals(30 / 255f, samples.get(1).data()[0]);
    }

    @Test
    void imagesDirectlyInTheRootHaveNoLabels() {
        gray8(root.resolve("b.png"), 2, 2, (x, y) -> 0);
        gray8(root.resolve("sub/a.png"), 2, 2, (x, y) -> 0);
        List<Sample> samples = readAll(reader(ImageOptions.defaults()), 10);
        assertEquals(List.of("b.png", "sub/a.png"), samples.stream().map(Sample::source).toList());
        samples.forEach(s -> assertNull(s.label()));
    }

    @Test
    void eightBitValuesAreDividedBy255() {
        gray8(root.resolve("ramp.png"), 16, 16, (x, y) -> y * 16 + x);
        Sample s = readAll(reader(ImageOptions.defaults()), 10).get(0);
        for (int i = 0; i < 256; i++) {
            assertEquals(i / 255f, s.data()[i], "pixel " + i);
        }
    }

    @Test
    void manySmallUnitsReadTheSameSamplesAsOneUnit() {
        for (int i = 0; i < 5; i++) {
            int v = i;
            gray8(root.resolve((i % 2 == 0 ? "even/" : "odd/") + i + ".png"), 3, 2, (x, y) -> v * 40 + x + y);
        }
        ImageFolderSampleReader reader = reader(ImageOptions.defaults());
        List<ReadUnit> units = reader.plan(2);
        assertEquals(List.of(2L, 2L, 1L), units.stream().map(ReadUnit::count).toList());
        assertEquals(List.of(2, 2, 1), units.stream().map(u -> u.paths().size()).toList());
        assertSameSamples(readAll(reader, 100), readAll(reader, 2));

        // what a task does: read a unit with a reader deserialized after planning
        ImageFolderSampleReader shipped = roundTrip(reader);
        assertSameSamples(readAll(reader, 100).subList(2, 4), toList(shipped.read(units.get(1))));
    }

    @Test
    void hiddenFilesAreIgnored() {
        gray8(root.resolve("a.png"), 2, 2, (x, y) -> 1);
        ImageFileWriter.bytes(root.resolve("._a.png"), new byte[]{0, 5, 22, 7});
        ImageFileWriter.bytes(root.resolve(".thumbs/b.png"), new byte[]{1, 2, 3});
        assertEquals(List.of("a.png"), readAll(reader(ImageOptions.defaults()), 10).stream().map(Sample::source).toList());
        ImageFolderSampleReader counted = reader(ImageOptions.defaults());
        counted.plan(10);
        assertEquals(2, counted.skippedFiles(), "skipped, but counted for prep's metrics");
    }

    @Test
    void aColonInAFileNameIsNamedBeforeAnythingIsRead() {
        gray8(root.resolve("a.png"), 2, 2, (x, y) -> 1);
        gray8(root.resolve("t 12:30.png"), 2, 2, (x, y) -> 1);
        SparkCaeException e = assertFails(ExitCode.BAD_DATA, root.toString(), () -> reader(ImageOptions.defaults()).plan(10));
        org.junit.jupiter.api.Assertions.assertTrue(e.getMessage().contains("t 12:30.png"), e.getMessage());
    }

    @Test
    void emptyFolderIsBadData() throws Exception {
        Files.writeString(root.resolve("readme.txt"), "no images here");
        SparkCaeException e = assertFails(ExitCode.BAD_DATA, root.toString(), () -> reader(ImageOptions.defaults()).plan(10));
        assertEquals(root + ": no images found (looked for png, jpg, jpeg, tif, tiff, bmp)", e.getMessage());
    }

    @Test
    void missingRootIsAUsageError() {
        String missing = root.resolve("absent").toString();
        SparkCaeException e = assertFails(ExitCode.USAGE, missing,
                () -> new ImageFolderSampleReader(missing, ImageOptions.defaults()).plan(10));
        assertEquals(missing + ": input path does not exist", e.getMessage());
    }

    @Test
    void corruptImageIsBadDataNamingTheFile() {
        gray8(root.resolve("a.png"), 2, 2, (x, y) -> 1);
        Path junk = ImageFileWriter.bytes(root.resolve("b.png"), "this is no png".getBytes());
        ImageFolderSampleReader reader = reader(ImageOptions.defaults());
        // FAIL reads every header when planning, so the broken file stops the plan
        assertFails(ExitCode.BAD_DATA, junk.toString(), () -> reader.plan(10));
        // with resize no header is read up front; the task decoding it reports it
        ImageFolderSampleReader resizing = reader(new ImageOptions(ResizePolicy.RESIZE, 0, 0, 1));
        List<ReadUnit> units = resizing.plan(1);
        assertEquals(1, toList(resizing.read(units.get(0))).size());
        assertFails(ExitCode.BAD_DATA, junk.toString(), () -> resizing.read(units.get(1)));
    }

    @Test
    void planningChecksSizesFromHeadersWithoutDecodingPixels() throws Exception {
        gray8(root.resolve("a.png"), 8, 8, (x, y) -> x);
        Path b = gray8(root.resolve("b.png"), 8, 8, (x, y) -> y);
        // keep b's header (signature + IHDR) but cut its pixel data: only decoding can notice
        byte[] whole = Files.readAllBytes(b);
        Files.write(b, Arrays.copyOf(whole, 33));
        ImageFolderSampleReader reader = reader(ImageOptions.defaults());
        List<ReadUnit> units = reader.plan(1);
        assertEquals(2, units.size());
        assertFails(ExitCode.BAD_DATA, b.toString(), () -> reader.read(units.get(1)));
    }

    @Test
    void differentSizesWithFailPolicyNameBothFiles() {
        gray8(root.resolve("a/first.png"), 28, 28, (x, y) -> 0);
        gray8(root.resolve("b/second.png"), 28, 28, (x, y) -> 0);
        gray8(root.resolve("b/wide.png"), 32, 28, (x, y) -> 0);
        SparkCaeException e = assertFails(ExitCode.BAD_DATA, root.resolve("b/wide.png").toString(),
                () -> reader(ImageOptions.defaults()).plan(10));
        assertEquals(root.resolve("b/wide.png") + ": image is 32x28 but " + root.resolve("a/first.png")
                + " is 28x28; set data.image.resize-policy to resize or center-crop", e.getMessage());
    }

    @Test
    void configuredSizeWithFailPolicyRefusesOtherSizes() {
        gray8(root.resolve("a.png"), 28, 28, (x, y) -> 0);
        SparkCaeException e = assertFails(ExitCode.BAD_DATA, root.resolve("a.png").toString(),
                () -> reader(new ImageOptions(ResizePolicy.FAIL, 32, 32, 1)).plan(10));
        assertEquals(root.resolve("a.png") + ": image is 28x28 but data.image.width/height ask for 32x32; "
                + "set data.image.resize-policy to resize or center-crop", e.getMessage());
    }

    @Test
    void acceptsAFileUriRootWithTheSameSources() {
        gray8(root.resolve("c/x.png"), 2, 2, (x, y) -> 9);
        ImageFolderSampleReader byUri = new ImageFolderSampleReader(root.toUri().toString(), ImageOptions.defaults());
        assertSameSamples(readAll(reader(ImageOptions.defaults()), 10), readAll(byUri, 10));
        assertEquals("c/x.png", readAll(byUri, 10).get(0).source());
    }
}
