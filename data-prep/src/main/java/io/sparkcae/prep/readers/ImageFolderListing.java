package io.sparkcae.prep.readers;

import io.sparkcae.core.error.SparkCaeException;
import org.apache.hadoop.fs.FileStatus;
import org.apache.hadoop.fs.LocatedFileStatus;
import org.apache.hadoop.fs.RemoteIterator;

import java.io.IOException;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.TreeSet;

/**
 * The image files under a folder, sorted by path relative to it, and the class names their top-level
 * subfolders give (torchvision ImageFolder convention: label = index of the class folder in sorted order).
 *
 * @param rootPrefix    the qualified root with a trailing slash; a listed path minus this is its relative path
 * @param relativePaths image files relative to the root, '/'-separated, sorted
 * @param classes       sorted top-level folder names when every image sits in one, else empty (no labels)
 * @param hiddenSkipped image files skipped because a part of their path starts with '.'
 * @param hiddenExample one of them (relative path), or null
 */
record ImageFolderListing(String rootPrefix, List<String> relativePaths, List<String> classes, long hiddenSkipped,
                          String hiddenExample) {
    private static final org.slf4j.Logger LOG = org.slf4j.LoggerFactory.getLogger(ImageFolderListing.class);

    static final List<String> EXTENSIONS = List.of("png", "jpg", "jpeg", "tif", "tiff", "bmp");

    /** True when the name ends in one of {@link #EXTENSIONS}, in any case. */
    static boolean isImageName(String name) {
        int dot = name.lastIndexOf('.');
        return dot >= 0 && EXTENSIONS.contains(name.substring(dot + 1).toLowerCase(Locale.ROOT));
    }

    /** Lists {@code root} recursively; an empty result is an error because training on nothing is one. */
    static ImageFolderListing scan(String root, StorageConf storage) {
        InputFile rootFile = InputFile.of(root, storage);
        if (!rootFile.status().isDirectory()) {
            throw SparkCaeException.usage(root + ": is a file; image input must be a folder of images");
        }
        String prefix = withSlash(rootFile.qualified().toString());
        List<String> relative = new ArrayList<>();
        long hidden = 0;
        String hiddenExample = null;
        try {
            RemoteIterator<LocatedFileStatus> files = rootFile.fileSystem().listFiles(rootFile.qualified(), true);
            while (files.hasNext()) {
                FileStatus status = files.next();
                String path = status.getPath().toString();
                if (status.isFile() && path.startsWith(prefix)) {
                    String rel = path.substring(prefix.length());
                    if (isImageName(rel) && !isHidden(rel)) {
                        relative.add(rel);
                    } else if (isImageName(rel)) {
                        hidden++;
                        hiddenExample = hiddenExample == null || rel.compareTo(hiddenExample) < 0 ? rel : hiddenExample;
                    }
                }
            }
        } catch (IOException e) {
            throw SparkCaeException.badData(root + ": cannot list folder (" + e.getMessage() + ")", e);
        }
        if (relative.isEmpty()) {
            throw SparkCaeException.badData(root + ": no images found (looked for " + String.join(", ", EXTENSIONS)
                    + ")");
        }
        List<String> colons = relative.stream().filter(r -> r.indexOf(':') >= 0).sorted().toList();
        if (!colons.isEmpty()) {
            // Hadoop's Path cannot name a file with ':' (it reads as a URI scheme): opening it would fail later
            // with a misleading message about a ".crc" side file.
            throw SparkCaeException.badData(root + ": " + colons.size() + " image file name(s) contain ':', e.g. "
                    + colons.get(0) + "; Hadoop file systems cannot read such names: rename them (e.g. ':' -> '_')");
        }
        if (hidden > 0) {
            // Skipping is right (resource forks, .ipynb_checkpoints), but never silent: count and example.
            LOG.warn("{}: skipped {} image file(s) under hidden names (a path part starting with '.'), e.g. {}",
                    root, hidden, hiddenExample);
        }
        relative.sort(Comparator.naturalOrder());
        return new ImageFolderListing(prefix, List.copyOf(relative), classesOf(relative), hidden, hiddenExample);
    }

    /**
     * Class folders only when every image has one: mixing labelled and unlabelled images would silently
     * train a classifier probe on part of the data.
     */
    private static List<String> classesOf(List<String> relativePaths) {
        Set<String> classes = new TreeSet<>();
        for (String rel : relativePaths) {
            int slash = rel.indexOf('/');
            if (slash < 0) {
                return List.of();
            }
            classes.add(rel.substring(0, slash));
        }
        return List.copyOf(classes);
    }

    /**
     * Skips names starting with '.' anywhere in the path: macOS "._x.png" resource forks look like images
     * but are not, and hidden folders (.git, .ipynb_checkpoints) hold copies nobody meant to train on.
     */
    private static boolean isHidden(String relativePath) {
        for (String part : relativePath.split("/")) {
            if (part.startsWith(".")) {
                return true;
            }
        }
        return false;
    }

    private static String withSlash(String path) {
        return path.endsWith("/") ? path : path + "/";
    }
}
