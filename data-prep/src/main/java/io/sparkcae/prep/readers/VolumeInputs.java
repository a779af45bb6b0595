package io.sparkcae.prep.readers;

import io.sparkcae.core.error.SparkCaeException;

import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Set;

/**
 * Turns a volume file or folder into readers. A folder of single-step files (3-D or 4-D arrays) is one
 * series named after the folder; a folder of time-series files (5-D) gives one reader per file, each
 * named after its file, as several simulations side by side would be.
 */
final class VolumeInputs {

    private VolumeInputs() {
    }

    /**
     * The volume format of a folder's files by their extensions (a .raw file counts only with its .json
     * sidecar), or null when it holds none. Names only: nothing is opened.
     */
    static VolumeFormat detect(InputFile folder) {
        Set<VolumeFormat> found = EnumSet.noneOf(VolumeFormat.class);
        for (InputFile file : VolumeSeries.list(folder, name -> VolumeFormat.ofFileName(name) != null)) {
            VolumeFormat format = VolumeFormat.ofFileName(file.name());
            if (format != VolumeFormat.RAW || hasSidecar(file)) {
                found.add(format);
            }
        }
        if (found.size() > 1) {
            throw SparkCaeException.usage(folder.display() + ": holds volume files of several formats "
                    + found.stream().map(VolumeFormat::configName).toList() + "; set data.format to one of them");
        }
        return found.isEmpty() ? null : found.iterator().next();
    }

    /** Whether a .raw file has the JSON sidecar that makes it a volume. */
    static boolean hasSidecar(InputFile raw) {
        String sidecar = RawSidecar.pathFor(raw.display());
        return raw.sibling(sidecar, sidecar).exists();
    }

    /** The readers for {@code in}, a file or folder of {@code format}, checked for one common sample shape. */
    static List<SampleReader> open(InputFile in, boolean folder, VolumeFormat format, String hdf5Dataset,
                                    StorageConf storage) {
        VolumeSeriesReader whole = format.reader(in.display(), hdf5Dataset, storage);
        if (!folder) {
            // Reading the header now fails a bad file before Spark starts, as the IDX check does.
            whole.sampleCount();
            return List.of(whole);
        }
        List<VolumeFile> files = whole.files();
        VolumeFile series = files.stream().filter(f -> f.layout().timeAxis()).findFirst().orElse(null);
        VolumeFile single = files.stream().filter(f -> !f.layout().timeAxis()).findFirst().orElse(null);
        if (series == null) {
            return List.of(whole);
        }
        if (single != null) {
            throw SparkCaeException.badData(in.display() + ": mixes time-series files (5-D, e.g. " + series.path()
                    + ") with single-step files (" + single.layout().ndim() + "-D, e.g. " + single.path()
                    + "); put each kind in its own folder");
        }
        // The folder reader already checked that every file has the same step shape.
        List<SampleReader> readers = new ArrayList<>(files.size());
        for (VolumeFile file : files) {
            readers.add(format.reader(file.path(), hdf5Dataset, storage));
        }
        return readers;
    }
}
