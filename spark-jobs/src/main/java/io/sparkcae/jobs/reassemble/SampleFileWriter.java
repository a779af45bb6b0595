package io.sparkcae.jobs.reassemble;

import io.sparkcae.core.tensor.PatchShape;
import io.sparkcae.prep.reassembly.HeatMapSliceWriter;
import io.sparkcae.prep.reassembly.NpySliceWriter;
import io.sparkcae.prep.reassembly.PngSliceWriter;
import io.sparkcae.prep.reassembly.SliceSink;
import io.sparkcae.prep.reassembly.TiffStripWriter;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.Path;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;

/**
 * One reassembled sample's file on any Hadoop file system. Slices stream into a local temp file (the formats
 * need positioned writes or a second pass, which an object store's output stream cannot give); {@link #commit}
 * completes it and copies it to the target in one sequential write, {@link #close} removes what is left.
 */
final class SampleFileWriter implements AutoCloseable {
    private final java.nio.file.Path local;
    private final SliceSink sink;
    private final Path target;
    private final Configuration hadoop;

    SampleFileWriter(PatchShape shape, String format, Path target, Configuration hadoop) {
        this.target = target;
        this.hadoop = hadoop;
        java.nio.file.Path file = null;
        try {
            file = Files.createTempFile("sparkcae-reassemble", "." + format);
            this.local = file;
            this.sink = switch (format) {
                case "npy" -> new NpySliceWriter(file, shape);
                case "tiff" -> new TiffStripWriter(file, shape);
                case "png" -> new PngSliceWriter(file, shape);
                // |residual| of the first channel as a black-red-yellow-white heat map (uncovered = 0)
                case "heatmap" -> new HeatMapSliceWriter(file, shape);
                default -> throw new IllegalArgumentException("unknown format " + format);
            };
        } catch (IOException e) {
            deleteQuietly(file);
            throw new UncheckedIOException(target + ": cannot write: " + e.getMessage(), e);
        }
    }

    SliceSink sink() {
        return sink;
    }

    /** Copies the finished local file to the target (the sink was finished by the blender). */
    void commit() {
        try {
            sink.close();
            target.getFileSystem(hadoop).copyFromLocalFile(true, true, new Path(local.toUri()), target);
        } catch (IOException e) {
            throw new UncheckedIOException(target + ": cannot write: " + e.getMessage(), e);
        }
    }

    @Override
    public void close() {
        try {
            sink.close();
        } catch (IOException ignored) {
            // the file is being discarded or was committed already
        }
        deleteQuietly(local);
    }

    private static void deleteQuietly(java.nio.file.Path file) {
        if (file != null) {
            try {
                Files.deleteIfExists(file);
            } catch (IOException ignored) {
                // the temp file goes with the JVM's temp dir
            }
        }
    }
}
