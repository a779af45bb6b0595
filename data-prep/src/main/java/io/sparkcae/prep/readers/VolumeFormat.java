package io.sparkcae.prep.readers;

import java.util.List;
import java.util.Locale;

/** The volume file formats, as {@code data.format} names them and as file extensions announce them. */
enum VolumeFormat {
    NPY("npy", List.of(".npy")),
    HDF5("hdf5", List.of(".h5", ".hdf5")),
    RAW("raw", List.of(".raw"));

    private final String configName;
    private final List<String> extensions;

    VolumeFormat(String configName, List<String> extensions) {
        this.configName = configName;
        this.extensions = extensions;
    }

    String configName() {
        return configName;
    }

    /** Whether the file name has one of this format's extensions, in any case. */
    boolean matches(String fileName) {
        String lower = fileName.toLowerCase(Locale.ROOT);
        return extensions.stream().anyMatch(lower::endsWith);
    }

    /** The format a file name announces, or null. */
    static VolumeFormat ofFileName(String fileName) {
        for (VolumeFormat f : values()) {
            if (f.matches(fileName)) {
                return f;
            }
        }
        return null;
    }

    /** The format {@code data.format} names, or null. */
    static VolumeFormat ofConfigName(String name) {
        for (VolumeFormat f : values()) {
            if (f.configName.equals(name)) {
                return f;
            }
        }
        return null;
    }

    /** A reader of this format for a file or folder. */
    VolumeSeriesReader reader(String path, String hdf5Dataset, StorageConf storage) {
        return switch (this) {
            case NPY -> new NpyVolumeReader(path, storage);
            case HDF5 -> new Hdf5VolumeReader(path, hdf5Dataset, storage);
            case RAW -> new RawVolumeReader(path, storage);
        };
    }
}
