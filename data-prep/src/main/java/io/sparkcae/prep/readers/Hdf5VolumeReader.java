package io.sparkcae.prep.readers;

/**
 * Reads volumes from one dataset of HDF5 files (.h5, .hdf5) through jhdf: float and integer types, any
 * chunking or compression jhdf supports. A 5-D dataset is read one time step at a time.
 */
public final class Hdf5VolumeReader extends VolumeSeriesReader {
    private static final long serialVersionUID = 1L;

    private final String datasetPath;

    /**
     * @param path        an HDF5 file, or a folder of them read in name order
     * @param datasetPath the dataset to read in every file, e.g. "/fields/u"; "" (or null) for each file's
     *                    only dataset, which fails listing them when there are several
     */
    public Hdf5VolumeReader(String path, String datasetPath) {
        this(path, datasetPath, StorageConf.hadoopDefaults());
    }

    /** @param storage the Hadoop configuration the files are listed and opened with */
    public Hdf5VolumeReader(String path, String datasetPath, StorageConf storage) {
        super(path, storage);
        this.datasetPath = datasetPath == null ? "" : datasetPath.strip();
    }

    /** The dataset path as given ("" = the only one). */
    public String datasetPath() {
        return datasetPath;
    }

    @Override
    VolumeFile openFile(InputFile file) {
        return Hdf5VolumeFile.open(file, datasetPath);
    }

    @Override
    boolean accepts(String fileName) {
        return VolumeFormat.HDF5.matches(fileName);
    }

    @Override
    String kind() {
        return ".h5/.hdf5";
    }
}
