package io.sparkcae.prep.readers;

import io.sparkcae.core.tensor.PatchShape;
import org.apache.hadoop.fs.Path;

import java.util.Iterator;
import java.util.List;

/**
 * A {@link SampleReader} over a volume time series in one format: one file (its steps are the samples), or
 * a folder of files in name order (each file's steps follow the previous file's). Samples have shape
 * (C, D, H, W), the file (or folder) name as source and the step number as index; values are the stored
 * numbers as floats, not rescaled, NaN and infinities included.
 */
public abstract class VolumeSeriesReader implements SampleReader {
    private static final long serialVersionUID = 1L;

    private final String path;
    private final String source;
    private final StorageConf storage;
    /** Resolved from the headers on first use; a planned reader carries it to the tasks. */
    private VolumeSeries series;

    VolumeSeriesReader(String path, StorageConf storage) {
        if (path == null || path.isBlank()) {
            throw new IllegalArgumentException("path is required");
        }
        this.path = path;
        this.source = new Path(path).getName();
        this.storage = storage;
    }

    /** Opens one file of this format, reading and checking its header. */
    abstract VolumeFile openFile(InputFile file);

    /** Whether a folder entry with this name is a file of this format. */
    abstract boolean accepts(String fileName);

    /** What the files are called in messages, e.g. ".npy". */
    abstract String kind();

    /** The file or folder as given. */
    public String path() {
        return path;
    }

    /** The file or folder name, every sample's source. */
    public String source() {
        return source;
    }

    /** (C, D, H, W) of every sample. */
    public PatchShape sampleShape() {
        return series().sampleShape();
    }

    /** The files of the series, in step order, as their headers describe them. */
    List<VolumeFile> files() {
        return series().files();
    }

    @Override
    public String toString() {
        return source;
    }

    @Override
    public long sampleCount() {
        return series().stepCount();
    }

    /** Reads the headers afresh, since the files may have changed since an earlier call. */
    @Override
    public List<ReadUnit> plan(int maxRecordsPerUnit) {
        series = null;
        return series().plan(maxRecordsPerUnit);
    }

    @Override
    public Iterator<Sample> read(ReadUnit unit) {
        return series().read(unit, storage);
    }

    private VolumeSeries series() {
        if (series == null) {
            series = VolumeSeries.open(path, storage, kind(), this::accepts, this::openFile);
        }
        return series;
    }
}
