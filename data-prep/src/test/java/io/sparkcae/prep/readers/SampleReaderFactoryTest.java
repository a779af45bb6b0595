package io.sparkcae.prep.readers;

import io.sparkcae.core.error.ExitCode;
import io.sparkcae.core.error.SparkCaeException;
import io.sparkcae.core.tensor.PatchShape;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import static io.sparkcae.prep.readers.IdxFileWriter.gzip;
import static io.sparkcae.prep.readers.IdxFileWriter.images;
import static io.sparkcae.prep.readers.IdxFileWriter.labels;
import static io.sparkcae.prep.readers.IdxFileWriter.write;
import static io.sparkcae.prep.readers.SampleAssertions.assertFails;
import static io.sparkcae.prep.readers.SampleAssertions.readAll;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

class SampleReaderFactoryTest {

    private static final ImageOptions OPTIONS = ImageOptions.defaults();

    @TempDir
    Path dir;

    private static IdxSampleReader idx(SampleReader reader) {
        return assertInstanceOf(IdxSampleReader.class, reader);
    }

    @Test
    void autoFolderOfIdxFilesPairsImagesWithLabelsInEitherNaming() {
        write(dir.resolve("train-images-idx3-ubyte.gz"), gzip(images(6, 2, 2)));
        write(dir.resolve("train-labels-idx1-ubyte.gz"), gzip(labels(6)));
        write(dir.resolve("t10k-images.idx3-ubyte"), images(3, 2, 2));
        write(dir.resolve("t10k-labels.idx1-ubyte"), labels(3));

        List<SampleReader> readers = SampleReaderFactory.open(dir.toString(), "auto", OPTIONS);
        assertEquals(2, readers.size());
        assertEquals("t10k-images.idx3-ubyte", idx(readers.get(0)).source());
        assertEquals(dir.resolve("t10k-labels.idx1-ubyte").toString(), idx(readers.get(0)).labelsPath());
        assertEquals("train-images-idx3-ubyte.gz", idx(readers.get(1)).source());
        assertEquals(dir.resolve("train-labels-idx1-ubyte.gz").toString(), idx(readers.get(1)).labelsPath());
        assertEquals(3, readers.get(0).sampleCount());
        assertEquals(IdxFileWriter.label(5), readAll(readers.get(1), 10).get(5).label());
    }

    @Test
    void labelsAreFoundWhenOnlyOneOfThePairIsGzipped() {
        write(dir.resolve("train-images-idx3-ubyte.gz"), gzip(images(2, 2, 2)));
        write(dir.resolve("train-labels-idx1-ubyte"), labels(2));
        assertEquals(dir.resolve("train-labels-idx1-ubyte").toString(),
                idx(SampleReaderFactory.open(dir.toString(), "idx", OPTIONS).get(0)).labelsPath());
    }

    @Test
    void idxIsRecognisedByContentWhateverTheNameAndLabelsAreOptional() {
        write(dir.resolve("scans"), gzip(images(2, 3, 3)));
        write(dir.resolve("other-images-idx3-ubyte"), images(1, 3, 3));
        write(dir.resolve("unrelated.bin"), new byte[]{1, 2, 3, 4, 5, 6});
        List<SampleReader> readers = SampleReaderFactory.open(dir.toString(), "auto", OPTIONS);
        assertEquals(List.of("other-images-idx3-ubyte", "scans"), readers.stream().map(r -> idx(r).source()).toList());
        readers.forEach(r -> assertNull(idx(r).labelsPath()));
        assertNull(readAll(readers.get(1), 10).get(0).label());
    }

    @Test
    void autoSingleIdxFileGetsItsLabels() {
        Path img = write(dir.resolve("train-images-idx3-ubyte"), images(2, 2, 2));
        write(dir.resolve("train-labels-idx1-ubyte"), labels(2));
        List<SampleReader> readers = SampleReaderFactory.open(img.toString(), "auto", OPTIONS);
        assertEquals(1, readers.size());
        assertEquals(dir.resolve("train-labels-idx1-ubyte").toString(), idx(readers.get(0)).labelsPath());
    }

    @Test
    void autoFolderOfPicturesIsAnImageFolder() {
        ImageFileWriter.gray8(dir.resolve("a/x.png"), 2, 2, (x, y) -> 0);
        List<SampleReader> readers = SampleReaderFactory.open(dir.toString(), "auto", OPTIONS);
        assertEquals(1, readers.size());
        assertEquals(dir.toString(), assertInstanceOf(ImageFolderSampleReader.class, readers.get(0)).root());
        assertEquals(0, readAll(readers.get(0), 10).get(0).label());
    }

    @Test
    void formatImagesIgnoresIdxFiles() {
        write(dir.resolve("train-images-idx3-ubyte"), images(2, 2, 2));
        ImageFileWriter.gray8(dir.resolve("x.png"), 2, 2, (x, y) -> 0);
        List<SampleReader> readers = SampleReaderFactory.open(dir.toString(), "images", OPTIONS);
        assertEquals(List.of("x.png"), readAll(readers.get(0), 10).stream().map(Sample::source).toList());
    }

    @Test
    void autoSingleFileThatIsNotIdxIsBadDataWithItsMagic() {
        Path png = ImageFileWriter.gray8(dir.resolve("x.png"), 2, 2, (x, y) -> 0);
        SparkCaeException e = assertFails(ExitCode.BAD_DATA, png.toString(),
                () -> SampleReaderFactory.open(png.toString(), "auto", OPTIONS));
        assertEquals(png + ": not an IDX image file: magic 0x89504e47 (expected 0x00000803); for image files set "
                + "data.input to their folder", e.getMessage());
    }

    @Test
    void singleLabelFileIsAUsageError() {
        Path lbl = write(dir.resolve("train-labels-idx1-ubyte"), labels(2));
        assertFails(ExitCode.USAGE, lbl.toString(), () -> SampleReaderFactory.open(lbl.toString(), "auto", OPTIONS));
    }

    @Test
    void formatIdxOnAFolderWithoutIdxIsBadData() throws Exception {
        Files.writeString(dir.resolve("notes.txt"), "hello");
        SparkCaeException e = assertFails(ExitCode.BAD_DATA, dir.toString(),
                () -> SampleReaderFactory.open(dir.toString(), "idx", OPTIONS));
        assertEquals(dir + ": no IDX image files found (magic 0x00000803, plain or gzipped)", e.getMessage());
    }

    @Test
    void missingInputAndUnknownFormatAreUsageErrors() {
        String missing = dir.resolve("nothing-here").toString();
        SparkCaeException e = assertFails(ExitCode.USAGE, missing,
                () -> SampleReaderFactory.open(missing, "auto", OPTIONS));
        assertEquals(missing + ": input path does not exist", e.getMessage());
        SparkCaeException unknown = assertFails(ExitCode.USAGE, "'zarr'",
                () -> SampleReaderFactory.open(dir.toString(), "zarr", OPTIONS));
        assertTrue(unknown.getMessage().contains("auto | idx | images | npy | hdf5 | raw"), unknown.getMessage());
    }

    // --- volume formats -------------------------------------------------------------------------------

    private static VolumeSeriesReader volume(SampleReader reader) {
        return assertInstanceOf(VolumeSeriesReader.class, reader);
    }

    @Test
    void autoRecognisesSingleVolumeFilesByExtension() {
        Path npy = NpyFixtureWriter.f4(dir.resolve("a.npy"), 2, 1, 2, 2, 2);
        assertInstanceOf(NpyVolumeReader.class, SampleReaderFactory.open(npy.toString(), "auto", OPTIONS).get(0));

        Path h5 = Hdf5FixtureWriter.write(dir.resolve("b.hdf5"), Map.of("f", new float[2][3][4]));
        Hdf5VolumeReader hdf5 = assertInstanceOf(Hdf5VolumeReader.class,
                SampleReaderFactory.open(h5.toString(), "auto", OPTIONS).get(0));
        assertEquals(PatchShape.of(1, 2, 3, 4), hdf5.sampleShape());

        NpyFixtureWriter.bytes(dir.resolve("c.json"),
                "{\"shape\":[2,2,2],\"dtype\":\"uint8\"}".getBytes(StandardCharsets.UTF_8));
        Path raw = NpyFixtureWriter.bytes(dir.resolve("c.raw"), new byte[8]);
        assertInstanceOf(RawVolumeReader.class, SampleReaderFactory.open(raw.toString(), "auto", OPTIONS).get(0));
    }

    @Test
    void aBadVolumeFileFailsWhenOpenedNotLaterInATask() {
        Path npy = NpyFixtureWriter.bytes(dir.resolve("broken.npy"), new byte[]{1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11});
        assertFails(ExitCode.BAD_DATA, npy.toString(), () -> SampleReaderFactory.open(npy.toString(), "auto", OPTIONS));
    }

    @Test
    void aFolderOfTimeSeriesFilesGivesOneReaderPerFileInNameOrder() {
        NpyFixtureWriter.f4(dir.resolve("sim-b.npy"), 3, 2, 2, 2, 2);
        NpyFixtureWriter.f4(dir.resolve("sim-a.npy"), 4, 2, 2, 2, 2);
        List<SampleReader> readers = SampleReaderFactory.open(dir.toString(), "auto", OPTIONS);
        assertEquals(List.of("sim-a.npy", "sim-b.npy"), readers.stream().map(r -> volume(r).source()).toList());
        assertEquals(List.of(4L, 3L), readers.stream().map(SampleReader::sampleCount).toList());
    }

    @Test
    void aFolderOfSingleStepFilesIsOneSeriesReaderNamedAfterTheFolder() {
        Path steps = dir.resolve("steps");
        for (int t = 0; t < 4; t++) {
            NpyFixtureWriter.f4(steps.resolve(String.format("u_%03d.npy", t)), 2, 3, 3, 3);
        }
        List<SampleReader> readers = SampleReaderFactory.open(steps.toString(), "auto", OPTIONS);
        assertEquals(1, readers.size());
        assertEquals("steps", volume(readers.get(0)).source());
        assertEquals(List.of(0L, 1L, 2L, 3L), readAll(readers.get(0), 3).stream().map(Sample::index).toList());
    }

    @Test
    void filesOfDifferentShapesOrKindsInOneFolderAreBadData() {
        Path mixedShapes = dir.resolve("shapes");
        NpyFixtureWriter.f4(mixedShapes.resolve("a.npy"), 2, 1, 4, 4, 4);
        Path odd = NpyFixtureWriter.f4(mixedShapes.resolve("b.npy"), 2, 3, 4, 4, 4);
        SparkCaeException e = assertFails(ExitCode.BAD_DATA, odd.toString(),
                () -> SampleReaderFactory.open(mixedShapes.toString(), "npy", OPTIONS));
        assertTrue(e.getMessage().contains("3x4x4x4") && e.getMessage().contains("1x4x4x4"), e.getMessage());

        Path mixedKinds = dir.resolve("kinds");
        NpyFixtureWriter.f4(mixedKinds.resolve("series.npy"), 2, 1, 4, 4, 4);
        NpyFixtureWriter.f4(mixedKinds.resolve("step.npy"), 1, 4, 4, 4);
        e = assertFails(ExitCode.BAD_DATA, mixedKinds.toString(),
                () -> SampleReaderFactory.open(mixedKinds.toString(), "auto", OPTIONS));
        assertTrue(e.getMessage().contains("series.npy") && e.getMessage().contains("step.npy"), e.getMessage());
    }

    @Test
    void aFolderWithSeveralVolumeFormatsNeedsAnExplicitFormat() {
        NpyFixtureWriter.f4(dir.resolve("a.npy"), 2, 2, 2);
        Hdf5FixtureWriter.write(dir.resolve("b.h5"), Map.of("f", new float[3][2][2]));
        assertFails(ExitCode.USAGE, dir.toString(), () -> SampleReaderFactory.open(dir.toString(), "auto", OPTIONS));
        List<SampleReader> h5 = SampleReaderFactory.open(dir.toString(), "hdf5", OPTIONS);
        assertEquals(PatchShape.of(1, 3, 2, 2), volume(h5.get(0)).sampleShape());
        assertEquals(PatchShape.of(1, 2, 2, 2),
                volume(SampleReaderFactory.open(dir.toString(), "npy", OPTIONS).get(0)).sampleShape());
    }

    @Test
    void rawFilesWithoutSidecarsDoNotMakeAFolderAVolumeFolder() {
        ImageFileWriter.gray8(dir.resolve("photo.png"), 2, 2, (x, y) -> 0);
        NpyFixtureWriter.bytes(dir.resolve("photo.raw"), new byte[]{1, 2, 3});
        List<SampleReader> readers = SampleReaderFactory.open(dir.toString(), "auto", OPTIONS);
        assertInstanceOf(ImageFolderSampleReader.class, readers.get(0));
    }

    @Test
    void theDatasetArgumentPicksAmongSeveralHdf5DatasetsAndTheThreeArgumentFormNeedsJustOne() {
        Map<String, Object> two = new LinkedHashMap<>();
        two.put("fields/u", new float[2][1][2][2][2]);
        two.put("fields/v", new float[3][3][3]);
        Path file = Hdf5FixtureWriter.write(dir.resolve("two.h5"), two);
        SparkCaeException e = assertFails(ExitCode.BAD_DATA, file.toString(),
                () -> SampleReaderFactory.open(file.toString(), "auto", OPTIONS));
        assertTrue(e.getMessage().contains("/fields/u, /fields/v"), e.getMessage());
        List<SampleReader> readers = SampleReaderFactory.open(file.toString(), "hdf5", OPTIONS, "/fields/u");
        assertEquals(2, readers.get(0).sampleCount());
        assertEquals("/fields/u", assertInstanceOf(Hdf5VolumeReader.class, readers.get(0)).datasetPath());
    }
}
