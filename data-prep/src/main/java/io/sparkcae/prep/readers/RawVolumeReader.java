package io.sparkcae.prep.readers;

/**
 * Reads headerless binary volumes (.raw), each described by a JSON sidecar of the same name (see
 * {@link RawSidecar} for its keys). The file size must match the sidecar exactly.
 */
public final class RawVolumeReader extends VolumeSeriesReader {
    private static final long serialVersionUID = 1L;

    /** @param path a .raw file with its .json sidecar, or a folder of them read in name order */
    public RawVolumeReader(String path) {
        this(path, StorageConf.hadoopDefaults());
    }

    /** @param storage the Hadoop configuration the files are listed and opened with */
    public RawVolumeReader(String path, StorageConf storage) {
        super(path, storage);
    }

    @Override
    VolumeFile openFile(InputFile file) {
        return RawVolumeFile.open(file);
    }

    @Override
    boolean accepts(String fileName) {
        return VolumeFormat.RAW.matches(fileName);
    }

    @Override
    String kind() {
        return ".raw";
    }
}
