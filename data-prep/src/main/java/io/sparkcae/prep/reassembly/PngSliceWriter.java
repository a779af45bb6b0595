package io.sparkcae.prep.reassembly;

import io.sparkcae.core.files.PngRowEncoder;
import io.sparkcae.core.tensor.PatchShape;

import java.io.BufferedOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Streams a 2D sample (C = 1 gray or 3 RGB) into an 8-bit PNG row by row ({@link PngWriter}'s levels: [0, 1]
 * scaled to 0..255, clamped, NaN black), holding one row of bytes instead of a raster.
 */
public final class PngSliceWriter implements SliceSink {
    private final OutputStream file;
    private final PngRowEncoder png;
    private final int channels;
    private final int width;
    private final byte[] row;

    public PngSliceWriter(Path path, PatchShape shape) throws IOException {
        if (shape.spatialRank() != 2) {
            throw new IllegalArgumentException("images are 2D, got " + shape + "; write volumes with NpyWriter");
        }
        this.channels = shape.channels();
        if (channels != 1 && channels != 3) {
            throw new IllegalArgumentException("PNG takes 1 or 3 channels, got " + shape);
        }
        this.width = shape.spatial(1);
        this.row = new byte[width * channels];
        this.file = new BufferedOutputStream(Files.newOutputStream(path), 1 << 16);
        this.png = new PngRowEncoder(file, width, shape.spatial(0), channels);
    }

    @Override
    public void slice(int index, float[] values) throws IOException {
        for (int x = 0; x < width; x++) {
            for (int c = 0; c < channels; c++) {
                row[x * channels + c] = (byte) UnitQuantizer.level(values[c * width + x], 255);
            }
        }
        png.row(row);
    }

    @Override
    public void finish() throws IOException {
        png.finish();
    }

    @Override
    public void close() throws IOException {
        file.close();
    }
}
