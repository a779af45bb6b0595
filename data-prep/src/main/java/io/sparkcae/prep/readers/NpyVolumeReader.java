package io.sparkcae.prep.readers;

/**
 * Reads volumes from numpy .npy files (format versions 1.0 to 3.0): float32/64 and (un)signed 8 to 64 bit
 * integers in either byte order, C or Fortran order (transposed to C order). Local files are memory-mapped
 * and only the steps of the unit being read are touched.
 */
public final class NpyVolumeReader extends VolumeSeriesReader {
    private static final long serialVersionUID = 1L;

    /** @param path an .npy file, or a folder of .npy files read in name order (local path or Hadoop URI) */
    public NpyVolumeReader(String path) {
        this(path, StorageConf.hadoopDefaults());
    }

    /** @param storage the Hadoop configuration the files are listed and opened with */
    public NpyVolumeReader(String path, StorageConf storage) {
        super(path, storage);
    }

    @Override
    VolumeFile openFile(InputFile file) {
        return NpyVolumeFile.open(file);
    }

    @Override
    boolean accepts(String fileName) {
        return VolumeFormat.NPY.matches(fileName);
    }

    @Override
    String kind() {
        return ".npy";
    }
}
