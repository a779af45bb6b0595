package io.sparkcae.jobs.reassemble;

import io.sparkcae.prep.reassembly.BlendedSample;
import io.sparkcae.prep.reassembly.NpyWriter;
import io.sparkcae.prep.reassembly.PngWriter;
import io.sparkcae.prep.reassembly.TiffWriter;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.Path;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;

/**
 * Writes a reassembled sample to any Hadoop file system: the format writers need a local file, so it is
 * written to a local temp file first and copied to the target.
 */
final class SampleFileWriter {
    private SampleFileWriter() {
    }

    static void write(BlendedSample s, String format, Path target, Configuration hadoop) {
        java.nio.file.Path local = null;
        try {
            local = Files.createTempFile("sparkcae-reassemble", "." + format);
            switch (format) {
                case "npy" -> NpyWriter.write(local, s.shape(), s.values());
                case "tiff" -> TiffWriter.writeFloat32(local, s.shape(), s.values());
                case "png" -> PngWriter.write(local, s.shape(), s.values());
                default -> throw new IllegalArgumentException("unknown format " + format);
            }
            target.getFileSystem(hadoop).copyFromLocalFile(true, true, new Path(local.toUri()), target);
        } catch (IOException e) {
            throw new UncheckedIOException(target + ": cannot write: " + e.getMessage(), e);
        } finally {
            if (local != null) {
                try {
                    Files.deleteIfExists(local);
                } catch (IOException ignored) {
                    // the temp file is gone with the copy, or will be with the JVM's temp dir
                }
            }
        }
    }
}
