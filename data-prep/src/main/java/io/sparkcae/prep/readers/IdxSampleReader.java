package io.sparkcae.prep.readers;

import io.sparkcae.core.error.SparkCaeException;
import io.sparkcae.core.tensor.PatchShape;
import org.apache.hadoop.fs.Path;

import java.io.EOFException;
import java.io.IOException;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;

/**
 * Reads an IDX image file (MNIST, Fashion-MNIST) and optionally its label file, plain or gzipped (told apart
 * by content). Units are record ranges of the one file, so a big file is read by many tasks at once.
 */
public final class IdxSampleReader implements SampleReader {
    private static final long serialVersionUID = 1L;

    private final String imagesPath;
    private final String labelsPath;
    private final String source;
    private final StorageConf storage;
    /** Filled on first use; planned readers carry it to the tasks so they skip re-checking the headers. */
    private IdxHeader imagesHeader;
    private IdxHeader labelsHeader;

    /**
     * @param imagesPath       IDX image file (local path, file:// or hdfs:// URI)
     * @param labelsPathOrNull its IDX label file, or null for unlabelled samples
     */
    public IdxSampleReader(String imagesPath, String labelsPathOrNull) {
        this(imagesPath, labelsPathOrNull, StorageConf.hadoopDefaults());
    }

    /**
     * @param imagesPath       IDX image file (local path or Hadoop URI: file://, hdfs://, s3a://)
     * @param labelsPathOrNull its IDX label file, or null for unlabelled samples
     * @param storage          the Hadoop configuration the files are opened with
     */
    public IdxSampleReader(String imagesPath, String labelsPathOrNull, StorageConf storage) {
        if (imagesPath == null || imagesPath.isBlank()) {
            throw new IllegalArgumentException("imagesPath is required");
        }
        this.imagesPath = imagesPath;
        this.labelsPath = labelsPathOrNull;
        this.source = new Path(imagesPath).getName();
        this.storage = storage;
    }

    public String imagesPath() {
        return imagesPath;
    }

    /** The label file, or null. */
    public String labelsPath() {
        return labelsPath;
    }

    /** The images file name, used as every sample's source. */
    public String source() {
        return source;
    }

    /** The source name, as logs and manifests list the input. */
    @Override
    public String toString() {
        return source;
    }

    @Override
    public long sampleCount() {
        return imagesHeader().count();
    }

    @Override
    public List<ReadUnit> plan(int maxRecordsPerUnit) {
        if (maxRecordsPerUnit <= 0) {
            throw new IllegalArgumentException("maxRecordsPerUnit must be positive, got " + maxRecordsPerUnit);
        }
        long count = imagesHeader().count();
        List<ReadUnit> units = new ArrayList<>();
        for (long start = 0; start < count; start += maxRecordsPerUnit) {
            // ArrayList, not List.of: Kryo rebuilds collections with add(), which immutable lists refuse.
            units.add(new ReadUnit(new ArrayList<>(List.of(imagesPath)), labelsPath, start,
                    Math.min(maxRecordsPerUnit, count - start)));
        }
        return units;
    }

    @Override
    public Iterator<Sample> read(ReadUnit unit) {
        IdxHeader header = imagesHeader();
        if (unit.start() < 0 || unit.count() < 0 || unit.start() + unit.count() > header.count()) {
            throw new IllegalArgumentException("unit [" + unit.start() + ", +" + unit.count() + ") is outside the "
                    + header.count() + " records of " + imagesPath);
        }
        int[] labels = labelsPath == null ? null : readLabels(unit.start(), (int) unit.count());
        return readImages(header, unit.start(), (int) unit.count(), labels).iterator();
    }

    /**
     * Reads the whole unit before handing it out: a unit is small by construction, and an eager read never
     * leaves a file open when the caller stops iterating early.
     */
    private List<Sample> readImages(IdxHeader header, long start, int count, int[] labels) {
        InputFile file = InputFile.of(imagesPath, storage);
        PatchShape shape = PatchShape.of(1, header.rows(), header.cols());
        byte[] record = new byte[(int) header.recordBytes()];
        List<Sample> samples = new ArrayList<>(count);
        try (UncompressedInput in = file.openUncompressed()) {
            skipOrReportTruncation(in, header, file, header.headerBytes() + start * header.recordBytes());
            for (int i = 0; i < count; i++) {
                if (in.readFully(record) < record.length) {
                    throw SparkCaeException.badData(header.truncatedMessage(file.display(), in.position()));
                }
                float[] data = new float[record.length];
                for (int p = 0; p < record.length; p++) {
                    data[p] = (record[p] & 0xff) / 255f;
                }
                samples.add(new Sample(source, start + i, labels == null ? null : labels[i], shape, data));
            }
            if (file.isGzip() && start + count == header.count()) {
                requireEnd(in, header, file);
            }
        } catch (IOException e) {
            throw file.unreadable(e);
        }
        return samples;
    }

    private int[] readLabels(long start, int count) {
        IdxHeader header = labelsHeader();
        InputFile file = InputFile.of(labelsPath, storage);
        byte[] bytes = new byte[count];
        try (UncompressedInput in = file.openUncompressed()) {
            skipOrReportTruncation(in, header, file, header.headerBytes() + start);
            if (in.readFully(bytes) < count) {
                throw SparkCaeException.badData(header.truncatedMessage(file.display(), in.position()));
            }
        } catch (IOException e) {
            throw file.unreadable(e);
        }
        int[] labels = new int[count];
        for (int i = 0; i < count; i++) {
            labels[i] = bytes[i] & 0xff;
        }
        return labels;
    }

    private static void skipOrReportTruncation(UncompressedInput in, IdxHeader header, InputFile file, long offset)
            throws IOException {
        try {
            in.skipTo(offset);
        } catch (EOFException e) {
            throw SparkCaeException.badData(header.truncatedMessage(file.display(), in.position()), e);
        }
    }

    private IdxHeader imagesHeader() {
        if (imagesHeader == null) {
            InputFile images = InputFile.of(imagesPath, storage);
            IdxHeader header = IdxHeader.readImages(images);
            checkStoredLength(images, header);
            if (labelsPath != null) {
                checkLabelsMatch(header);
            }
            imagesHeader = header;
        }
        return imagesHeader;
    }

    private IdxHeader labelsHeader() {
        if (labelsHeader == null) {
            InputFile labels = InputFile.of(labelsPath, storage);
            IdxHeader header = IdxHeader.readLabels(labels);
            checkStoredLength(labels, header);
            labelsHeader = header;
        }
        return labelsHeader;
    }

    private void checkLabelsMatch(IdxHeader images) {
        IdxHeader labels = labelsHeader();
        if (labels.count() != images.count()) {
            throw SparkCaeException.badData(labelsPath + ": has " + labels.count() + " labels but " + imagesPath
                    + " has " + images.count() + " images");
        }
    }

    /**
     * A plain file's size shows truncation from the driver without reading the payload. A gzip file's
     * uncompressed size is only known by inflating it, so that check waits for the tasks that read it.
     */
    private static void checkStoredLength(InputFile file, IdxHeader header) {
        if (file.isGzip()) {
            return;
        }
        long stored = file.storedLength();
        if (stored < header.expectedBytes()) {
            throw SparkCaeException.badData(header.truncatedMessage(file.display(), stored));
        }
        if (stored > header.expectedBytes()) {
            throw SparkCaeException.badData(trailingMessage(file.display(), header, stored - header.expectedBytes()));
        }
    }

    /** Data past the header's count would be dropped without a word: the count or the file is wrong. */
    private static String trailingMessage(String display, IdxHeader header, long extraBytes) {
        return display + ": " + extraBytes + (extraBytes == 1 ? " byte" : " bytes") + " after the " + header.count()
                + " records the header declares (" + header.expectedBytes() + " bytes): the header's count is"
                + " wrong or the file was appended to; fix the count or trim the file";
    }

    /** A gzip file's trailing data shows only to the task that reads its last record. */
    private static void requireEnd(UncompressedInput in, IdxHeader header, InputFile file) throws IOException {
        byte[] extra = new byte[4096];
        long total = 0;
        int n;
        while ((n = in.readFully(extra)) > 0) {
            total += n;
            if (n < extra.length) {
                break;
            }
        }
        if (total > 0) {
            throw SparkCaeException.badData(trailingMessage(file.display(), header, total));
        }
    }
}
