package io.sparkcae.prep.readers;

import io.sparkcae.core.error.ExitCode;
import io.sparkcae.core.error.SparkCaeException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import static io.sparkcae.prep.readers.IdxFileWriter.gzip;
import static io.sparkcae.prep.readers.IdxFileWriter.images;
import static io.sparkcae.prep.readers.IdxFileWriter.labels;
import static io.sparkcae.prep.readers.IdxFileWriter.write;
import static io.sparkcae.prep.readers.SampleAssertions.assertFails;
import static io.sparkcae.prep.readers.SampleAssertions.readAll;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNull;

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
        assertFails(ExitCode.USAGE, "'hdf5'", () -> SampleReaderFactory.open(dir.toString(), "hdf5", OPTIONS));
    }
}
