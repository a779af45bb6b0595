package io.sparkcae.jobs.reassemble;

import io.sparkcae.core.report.ResidualMapImage;
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

    private static float[] firstChannelNoNaN(BlendedSample s) {
        int plane = s.shape().elementCount() / s.shape().channels();
        float[] out = new float[plane];
        for (int i = 0; i < plane; i++) {
            float v = s.values()[i];
            out[i] = Float.isNaN(v) ? 0f : v;
        }
        return out;
    }

    static void write(BlendedSample s, String format, Path target, Configuration hadoop) {
        java.nio.file.Path local = null;
        try {
            local = Files.createTempFile("sparkcae-reassemble", "." + format);
            switch (format) {
                case "npy" -> NpyWriter.write(local, s.shape(), s.values());
                case "tiff" -> TiffWriter.writeFloat32(local, s.shape(), s.values());
                case "png" -> PngWriter.write(local, s.shape(), s.values());
                // |residual| of the first channel as a black-red-yellow-white heat map (uncovered = 0)
                case "heatmap" -> ResidualMapImage.write(firstChannelNoNaN(s), s.shape().spatial(0),
                        s.shape().spatial(1), local, 1);
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
