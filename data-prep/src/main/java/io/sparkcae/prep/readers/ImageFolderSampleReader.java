package io.sparkcae.prep.readers;

import io.sparkcae.core.error.SparkCaeException;
import io.sparkcae.core.tensor.PatchShape;

import java.io.Serializable;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Iterator;
import java.util.List;

/**
 * Reads a folder of image files (png, jpg, jpeg, tif, tiff, bmp), recursively. Every sample has the same
 * shape, which the {@link ImageOptions} decide; labels come from class subfolders when there are any.
 * A unit is a group of files, so tasks decode different files in parallel.
 */
public final class ImageFolderSampleReader implements WindowedSampleReader {
    private static final long serialVersionUID = 1L;

    private final String root;
    private final ImageOptions options;
    private final StorageConf storage;
    /** What planning learnt, carried to the tasks so they do not list the folder again. Small by design. */
    private Resolved resolved;
    /** Hidden image files the latest listing skipped (see {@link ImageFolderListing}). */
    private long skippedHidden;

    /** The folder's layout and the target size, fixed once so every task produces the same shape. */
    private record Resolved(String rootPrefix, String firstImage, List<String> classes, int count, int width,
                            int height)
            implements Serializable {
    }

    public ImageFolderSampleReader(String root, ImageOptions options) {
        this(root, options, StorageConf.hadoopDefaults());
    }

    /**
     * @param root    the folder (local path or Hadoop URI)
     * @param storage the Hadoop configuration the files are listed and opened with
     */
    public ImageFolderSampleReader(String root, ImageOptions options, StorageConf storage) {
        if (root == null || root.isBlank()) {
            throw new IllegalArgumentException("root is required");
        }
        this.root = root;
        this.options = options == null ? ImageOptions.defaults() : options;
        this.storage = storage;
    }

    /** The root as given, as logs and manifests list the input. */
    @Override
    public String toString() {
        return root;
    }

    public String root() {
        return root;
    }

    public ImageOptions options() {
        return options;
    }

    /** Class folder names in label order; empty when the images carry no labels. */
    public List<String> classes() {
        return Collections.unmodifiableList(resolved().classes());
    }

    @Override
    public long skippedFiles() {
        return skippedHidden;
    }

    @Override
    public long sampleCount() {
        return resolved().count();
    }

    /** Lists the folder and, with {@link ResizePolicy#FAIL}, checks every image's size from its header. */
    @Override
    public List<ReadUnit> plan(int maxRecordsPerUnit) {
        if (maxRecordsPerUnit <= 0) {
            throw new IllegalArgumentException("maxRecordsPerUnit must be positive, got " + maxRecordsPerUnit);
        }
        // Always list afresh: the folder may have changed since an earlier plan or count.
        resolved = null;
        ImageFolderListing listing = ImageFolderListing.scan(root, storage);
        skippedHidden = listing.hiddenSkipped();
        Resolved r = resolve(listing);
        InputFile rootFile = InputFile.of(root, storage);
        List<String> paths = new ArrayList<>(listing.relativePaths().size());
        for (String rel : listing.relativePaths()) {
            paths.add(listing.rootPrefix() + rel);
        }
        if (options.resizePolicy() == ResizePolicy.FAIL) {
            for (String rel : listing.relativePaths()) {
                int[] size = ImageDecoder.size(rootFile.sibling(r.rootPrefix() + rel, display(rel)));
                if (size[0] != r.width() || size[1] != r.height()) {
                    throw mismatch(rel, size[0], size[1], r);
                }
            }
        }
        List<ReadUnit> units = new ArrayList<>();
        for (int from = 0; from < paths.size(); from += maxRecordsPerUnit) {
            // ArrayList, not List.copyOf: Kryo rebuilds collections with add(), which immutable lists refuse.
            List<String> group = new ArrayList<>(paths.subList(from, Math.min(paths.size(), from + maxRecordsPerUnit)));
            units.add(new ReadUnit(group, null, 0, group.size()));
        }
        return units;
    }

    @Override
    public Iterator<Sample> read(ReadUnit unit) {
        Resolved r = resolved();
        if (unit.paths().isEmpty()) {
            return Collections.emptyIterator();
        }
        InputFile rootFile = InputFile.of(root, storage);
        PatchShape shape = PatchShape.of(options.channels(), r.height(), r.width());
        List<Sample> samples = new ArrayList<>(unit.paths().size());
        for (String path : unit.paths()) {
            if (!path.startsWith(r.rootPrefix())) {
                throw new IllegalArgumentException(path + " is not under " + root);
            }
            String rel = path.substring(r.rootPrefix().length());
            FloatImage image = fit(rel, ImageDecoder.decode(rootFile.sibling(path, display(rel)), options.channels()), r);
            samples.add(new Sample(rel, 0, labelOf(rel, r.classes()), shape, image.data()));
        }
        return samples.iterator();
    }

    @Override
    public PatchShape sampleShape(ReadUnit unit, int position) {
        Resolved r = resolved();
        return PatchShape.of(options.channels(), r.height(), r.width());
    }

    /**
     * Reads a window straight from the file when the image already has the target size; an image that must
     * be resized or cropped first is decoded whole (the window is then cut from the fitted image).
     */
    @Override
    public Sample readWindow(ReadUnit unit, int position, int[] offset, int[] size) {
        Resolved r = resolved();
        String path = unit.paths().get(position);
        String rel = path.substring(r.rootPrefix().length());
        InputFile file = InputFile.of(root, storage).sibling(path, display(rel));
        int[] whole = ImageDecoder.size(file);
        FloatImage window;
        if (whole[0] == r.width() && whole[1] == r.height()) {
            window = ImageDecoder.decodeRegion(file, options.channels(), offset[1], offset[0], size[1], size[0]);
        } else {
            FloatImage fitted = fit(rel, ImageDecoder.decode(file, options.channels()), r);
            window = fitted.crop(offset[0], offset[1], size[0], size[1]);
        }
        return new Sample(rel, 0, labelOf(rel, r.classes()), PatchShape.of(options.channels(), size[0], size[1]),
                window.data());
    }

    private Resolved resolved() {
        return resolved != null ? resolved : resolve(ImageFolderListing.scan(root, storage));
    }

    /** Fixes the target size, reading the first image's header when the options leave it open. */
    private Resolved resolve(ImageFolderListing listing) {
        if (resolved == null) {
            int width = options.width();
            int height = options.height();
            String first = listing.relativePaths().get(0);
            if (width == 0 || height == 0) {
                int[] size = ImageDecoder.size(InputFile.of(root, storage).sibling(listing.rootPrefix() + first, display(first)));
                width = width == 0 ? size[0] : width;
                height = height == 0 ? size[1] : height;
            }
            resolved = new Resolved(listing.rootPrefix(), first, new ArrayList<>(listing.classes()),
                    listing.relativePaths().size(), width, height);
        }
        return resolved;
    }

    private FloatImage fit(String rel, FloatImage image, Resolved r) {
        if (image.hasSize(r.height(), r.width())) {
            return image;
        }
        return switch (options.resizePolicy()) {
            case RESIZE -> image.resizeBilinear(r.height(), r.width());
            case CENTER_CROP -> {
                if (image.width() < r.width() || image.height() < r.height()) {
                    throw SparkCaeException.badData(display(rel) + ": image is " + image.width() + "x"
                            + image.height() + ", smaller than the " + r.width() + "x" + r.height()
                            + " crop; set data.image.resize-policy to resize or lower data.image.width/height");
                }
                yield image.centerCrop(r.height(), r.width());
            }
            // Planning checks sizes; this catches a folder that changed since, or a reader used unplanned.
            case FAIL -> throw mismatch(rel, image.width(), image.height(), r);
        };
    }

    /** Names the image that set the size when the options left it open, else the options themselves. */
    private SparkCaeException mismatch(String rel, int width, int height, Resolved r) {
        boolean sizeFromFirst = options.width() == 0 && options.height() == 0;
        String reference = sizeFromFirst ? display(r.firstImage()) + " is " : "data.image.width/height ask for ";
        return SparkCaeException.badData(display(rel) + ": image is " + width + "x" + height + " but " + reference
                + r.width() + "x" + r.height() + "; set data.image.resize-policy to resize or center-crop");
    }

    private static Integer labelOf(String rel, List<String> classes) {
        if (classes.isEmpty()) {
            return null;
        }
        int label = Collections.binarySearch(classes, rel.substring(0, rel.indexOf('/')));
        if (label < 0) {
            throw new IllegalStateException(rel + " is not in a class folder seen when planning");
        }
        return label;
    }

    /** The file as the user would find it: the root as given plus the relative path. */
    private String display(String rel) {
        return (root.endsWith("/") ? root : root + "/") + rel;
    }
}
