package io.sparkcae.prep.readers;

import io.sparkcae.core.error.SparkCaeException;
import org.apache.hadoop.fs.FileStatus;

import java.io.IOException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;

/**
 * Picks the readers for {@code data.input} and {@code data.format}. IDX is recognised by content (the
 * IDX magic, possibly inside gzip), because IDX file names come in several spellings and often lie about
 * compression; volume formats (.npy, .h5/.hdf5, .raw with a .json sidecar) by extension, which their tools
 * always write.
 */
public final class SampleReaderFactory {

    private SampleReaderFactory() {
    }

    /**
     * @param input        a file or folder: local path, file://, hdfs:// or s3a:// URI
     * @param format       auto | idx | images | npy | hdf5 | raw
     * @param imageOptions how image files become samples (ignored for IDX and volumes)
     * @return the readers, sorted by source name, never empty
     */
    public static List<SampleReader> open(String input, String format, ImageOptions imageOptions) {
        return open(input, format, imageOptions, "");
    }

    /**
     * @param hdf5Dataset the dataset HDF5 inputs are read from, e.g. "/fields/u"; "" for each file's only
     *                    dataset (ignored for other formats)
     */
    public static List<SampleReader> open(String input, String format, ImageOptions imageOptions,
                                          String hdf5Dataset) {
        return open(input, format, imageOptions, hdf5Dataset, StorageConf.hadoopDefaults());
    }

    /**
     * @param storage the Hadoop configuration every file is listed and opened with, on the driver and in the
     *                tasks (stages pass the Spark session's, so {@code spark.hadoop.*} settings apply)
     */
    public static List<SampleReader> open(String input, String format, ImageOptions imageOptions,
                                          String hdf5Dataset, StorageConf storage) {
        InputFile in = InputFile.of(input, storage);
        FileStatus status = in.status();
        VolumeFormat volume = VolumeFormat.ofConfigName(format);
        if (volume != null) {
            return VolumeInputs.open(in, status.isDirectory(), volume, hdf5Dataset, storage);
        }
        return switch (format) {
            case "idx" -> status.isDirectory() ? idxFolder(in, true, storage) : List.of(idxFile(in, storage));
            case "images" -> List.of(new ImageFolderSampleReader(input, imageOptions, storage));
            case "auto" -> {
                if (!status.isDirectory()) {
                    // Volume formats by extension: an .npy or HDF5 header is never mistaken for IDX anyway,
                    // but the name lets a bad volume file fail with its own format's message.
                    VolumeFormat named = VolumeFormat.ofFileName(in.name());
                    yield named == null ? List.of(idxFile(in, storage)) : VolumeInputs.open(in, false, named, hdf5Dataset, storage);
                }
                VolumeFormat inFolder = VolumeInputs.detect(in);
                if (inFolder != null) {
                    yield VolumeInputs.open(in, true, inFolder, hdf5Dataset, storage);
                }
                List<SampleReader> idx = idxFolder(in, false, storage);
                yield idx.isEmpty() ? List.of(new ImageFolderSampleReader(input, imageOptions, storage)) : idx;
            }
            default -> throw SparkCaeException.usage("data.format: '" + format
                    + "' is not one of auto | idx | images | npy | hdf5 | raw");
        };
    }

    /** A single file must be an IDX image file; anything else is named in the error. */
    private static SampleReader idxFile(InputFile file, StorageConf storage) {
        int magic = IdxHeader.peekMagic(file);
        if (magic == IdxHeader.LABELS_MAGIC) {
            throw SparkCaeException.usage(file.display() + ": is an IDX label file; set data.input to the images file "
                    + "or to its folder");
        }
        if (magic != IdxHeader.IMAGES_MAGIC) {
            throw SparkCaeException.badData(file.display() + ": not an IDX image file: magic "
                    + (magic == -1 ? "missing" : IdxHeader.hex(magic)) + " (expected "
                    + IdxHeader.hex(IdxHeader.IMAGES_MAGIC) + "); for image files set data.input to their folder");
        }
        return new IdxSampleReader(file.display(), labelsFor(file), storage);
    }

    /**
     * One reader per IDX image file directly in the folder. Only files without an image extension are
     * opened, so recognising IDX does not cost a read per file of a large image folder.
     */
    private static List<SampleReader> idxFolder(InputFile folder, boolean required, StorageConf storage) {
        FileStatus[] children;
        try {
            children = folder.fileSystem().listStatus(folder.qualified());
        } catch (IOException e) {
            throw SparkCaeException.badData(folder.display() + ": cannot list folder (" + e.getMessage() + ")", e);
        }
        Arrays.sort(children, Comparator.comparing(s -> s.getPath().getName()));
        List<SampleReader> readers = new ArrayList<>();
        for (FileStatus child : children) {
            String name = child.getPath().getName();
            if (!child.isFile() || name.startsWith(".") || ImageFolderListing.isImageName(name)) {
                continue;
            }
            InputFile file = folder.sibling(child.getPath().toString(), childDisplay(folder, name));
            if (IdxHeader.peekMagic(file) == IdxHeader.IMAGES_MAGIC) {
                readers.add(new IdxSampleReader(file.display(), labelsFor(file), storage));
            }
        }
        if (readers.isEmpty() && required) {
            throw SparkCaeException.badData(folder.display() + ": no IDX image files found (magic "
                    + IdxHeader.hex(IdxHeader.IMAGES_MAGIC) + ", plain or gzipped)");
        }
        return readers;
    }

    /**
     * The label file by MNIST naming (train-images-idx3-ubyte.gz -> train-labels-idx1-ubyte.gz), also
     * accepted with or without ".gz" since people unpack one file and not the other. Labels are optional.
     */
    static String labelsFor(InputFile images) {
        String name = images.name();
        String labelsName = name.replace("images", "labels").replace("idx3", "idx1");
        if (labelsName.equals(name)) {
            return null;
        }
        String toggled = labelsName.endsWith(".gz") ? labelsName.substring(0, labelsName.length() - 3)
                : labelsName + ".gz";
        String parent = parentOf(images.display());
        for (String candidate : List.of(labelsName, toggled)) {
            String path = parent + candidate;
            if (images.sibling(path, path).exists()) {
                return path;
            }
        }
        return null;
    }

    /** The display path up to and including its last '/', or "" for a bare file name. */
    private static String parentOf(String display) {
        return display.substring(0, display.lastIndexOf('/') + 1);
    }

    private static String childDisplay(InputFile folder, String name) {
        String base = folder.display();
        return (base.endsWith("/") ? base : base + "/") + name;
    }
}
