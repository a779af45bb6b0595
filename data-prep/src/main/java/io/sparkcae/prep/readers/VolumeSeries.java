package io.sparkcae.prep.readers;

import io.sparkcae.core.error.SparkCaeException;
import io.sparkcae.core.tensor.PatchShape;
import org.apache.hadoop.fs.FileStatus;

import java.io.IOException;
import java.io.Serializable;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.Deque;
import java.util.Iterator;
import java.util.List;
import java.util.NoSuchElementException;
import java.util.function.Function;
import java.util.function.Predicate;

/**
 * A time series of volumes: the steps of one file, or of a folder's files in name order (typically one
 * file per step). Steps are numbered across the whole series and become samples with that number as index,
 * so a unit of steps may span several files. All steps must have the same shape, since they feed one model.
 */
final class VolumeSeries implements Serializable {
    private static final long serialVersionUID = 1L;

    /** Steps read per file open: enough to amortise opening, small enough to stream a long unit. */
    private static final long BATCH_VALUES = 16L << 20;

    private final String source;
    private final ArrayList<VolumeFile> files;
    /** firstStep[i] = global number of file i's first step; one extra entry holds the total. */
    private final long[] firstStep;

    private VolumeSeries(String source, List<VolumeFile> files) {
        this.source = source;
        this.files = new ArrayList<>(files);
        this.firstStep = new long[files.size() + 1];
        for (int i = 0; i < files.size(); i++) {
            firstStep[i + 1] = firstStep[i] + files.get(i).layout().steps();
        }
    }

    /**
     * Resolves {@code path}: a file is a series by itself; a folder's files that {@code accepts} are read in
     * name order (hidden files skipped).
     *
     * @param kind how messages name the files sought, e.g. ".npy"
     */
    static VolumeSeries open(String path, StorageConf storage, String kind, Predicate<String> accepts,
                             Function<InputFile, VolumeFile> opener) {
        InputFile in = InputFile.of(path, storage);
        if (!in.status().isDirectory()) {
            return of(in.name(), List.of(opener.apply(in)));
        }
        List<VolumeFile> files = new ArrayList<>();
        for (InputFile file : list(in, accepts)) {
            files.add(opener.apply(file));
        }
        if (files.isEmpty()) {
            throw SparkCaeException.badData(in.display() + ": no " + kind + " files found");
        }
        return of(in.name(), files);
    }

    /** The files directly in {@code folder} whose names {@code accepts}, sorted by name, hidden ones skipped. */
    static List<InputFile> list(InputFile folder, Predicate<String> accepts) {
        FileStatus[] children;
        try {
            children = folder.fileSystem().listStatus(folder.qualified());
        } catch (IOException e) {
            throw SparkCaeException.badData(folder.display() + ": cannot list folder (" + e.getMessage() + ")", e);
        }
        Arrays.sort(children, Comparator.comparing(s -> s.getPath().getName()));
        String base = folder.display().endsWith("/") ? folder.display() : folder.display() + "/";
        List<InputFile> files = new ArrayList<>();
        for (FileStatus child : children) {
            String name = child.getPath().getName();
            if (child.isFile() && !name.startsWith(".") && accepts.test(name)) {
                files.add(folder.sibling(child.getPath().toString(), base + name));
            }
        }
        return files;
    }

    /** A series of these files in this order; their steps must all have the first file's shape. */
    static VolumeSeries of(String source, List<VolumeFile> files) {
        PatchShape expected = files.get(0).layout().sampleShape();
        for (VolumeFile f : files) {
            PatchShape shape = f.layout().sampleShape();
            if (!shape.equals(expected)) {
                throw SparkCaeException.badData(f.path() + ": volume shape " + shape + " (c x z x y x x) differs from "
                        + expected + " of " + files.get(0).path() + "; all steps of a series need one shape");
            }
        }
        return new VolumeSeries(source, files);
    }

    String source() {
        return source;
    }

    List<VolumeFile> files() {
        return files;
    }

    long stepCount() {
        return firstStep[files.size()];
    }

    PatchShape sampleShape() {
        return files.get(0).layout().sampleShape();
    }

    List<ReadUnit> plan(int maxStepsPerUnit) {
        if (maxStepsPerUnit <= 0) {
            throw new IllegalArgumentException("maxRecordsPerUnit must be positive, got " + maxStepsPerUnit);
        }
        List<ReadUnit> units = new ArrayList<>();
        for (long start = 0; start < stepCount(); start += maxStepsPerUnit) {
            long count = Math.min(maxStepsPerUnit, stepCount() - start);
            // ArrayList, not List.of: Kryo rebuilds collections with add(), which immutable lists refuse.
            ArrayList<String> paths = new ArrayList<>();
            for (int f = fileOf(start); f < files.size() && firstStep[f] < start + count; f++) {
                paths.add(files.get(f).path());
            }
            units.add(new ReadUnit(paths, null, start, count));
        }
        return units;
    }

    /**
     * The unit's steps, read lazily in batches: a unit of many large steps never sits in memory at once,
     * and no file stays open between batches, so a caller may stop iterating at any time.
     */
    Iterator<Sample> read(ReadUnit unit, StorageConf storage) {
        if (unit.start() < 0 || unit.count() < 0 || unit.start() + unit.count() > stepCount()) {
            throw new IllegalArgumentException("unit [" + unit.start() + ", +" + unit.count() + ") is outside the "
                    + stepCount() + " steps of " + source);
        }
        int batch = (int) Math.max(1, BATCH_VALUES / sampleShape().elementCount());
        long end = unit.start() + unit.count();
        return new Iterator<>() {
            private long next = unit.start();
            private final Deque<Sample> ready = new ArrayDeque<>();

            @Override
            public boolean hasNext() {
                return !ready.isEmpty() || next < end;
            }

            @Override
            public Sample next() {
                if (ready.isEmpty()) {
                    if (next >= end) {
                        throw new NoSuchElementException();
                    }
                    next += readBatch(storage, next, (int) Math.min(batch, end - next), ready);
                }
                return ready.removeFirst();
            }
        };
    }

    /** Reads up to {@code max} steps from {@code step} on, within one file; returns how many it read. */
    private int readBatch(StorageConf storage, long step, int max, Deque<Sample> into) {
        int f = fileOf(step);
        long local = step - firstStep[f];
        int count = (int) Math.min(max, firstStep[f + 1] - step);
        PatchShape shape = sampleShape();
        List<float[]> values = files.get(f).readSteps(storage, local, count);
        for (int i = 0; i < count; i++) {
            into.addLast(new Sample(source, step + i, null, shape, values.get(i)));
        }
        return count;
    }

    /** The file holding global step {@code step}. */
    private int fileOf(long step) {
        int i = Arrays.binarySearch(firstStep, step);
        // Every file has at least one step, so firstStep strictly increases and an exact hit is file i's start.
        return i >= 0 ? i : -i - 2;
    }
}
