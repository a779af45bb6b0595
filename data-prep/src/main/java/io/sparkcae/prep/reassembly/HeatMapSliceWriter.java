package io.sparkcae.prep.reassembly;

import io.sparkcae.core.files.PngRowEncoder;
import io.sparkcae.core.report.ResidualMapImage;
import io.sparkcae.core.tensor.PatchShape;

import java.io.BufferedInputStream;
import java.io.BufferedOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Streams a 2D residual map into the heat-map PNG of {@link ResidualMapImage} (|first channel|, normalised by
 * its largest finite value, uncovered positions black). The scale is known only after the last row, so rows go
 * to a scratch file of floats beside the target first and are coloured in a second pass.
 */
public final class HeatMapSliceWriter implements SliceSink {
    private final Path target;
    private final Path scratch;
    private final DataOutputStream values;
    private final int width;
    private final int height;
    private double max;

    public HeatMapSliceWriter(Path target, PatchShape shape) throws IOException {
        if (shape.spatialRank() != 2) {
            throw new IllegalArgumentException("heat maps are 2D, got " + shape);
        }
        this.target = target;
        this.width = shape.spatial(1);
        this.height = shape.spatial(0);
        this.scratch = target.resolveSibling(target.getFileName() + ".values");
        this.values = new DataOutputStream(new BufferedOutputStream(Files.newOutputStream(scratch), 1 << 16));
    }

    @Override
    public void slice(int index, float[] row) throws IOException {
        for (int x = 0; x < width; x++) {
            float v = Float.isNaN(row[x]) ? 0f : row[x]; // uncovered: no residual
            if (Float.isFinite(v)) {
                max = Math.max(max, Math.abs(v));
            }
            values.writeFloat(v);
        }
    }

    @Override
    public void finish() throws IOException {
        values.close();
        byte[] rgb = new byte[width * 3];
        try (InputStream raw = Files.newInputStream(scratch);
             DataInputStream in = new DataInputStream(new BufferedInputStream(raw, 1 << 16));
             OutputStream out = new BufferedOutputStream(Files.newOutputStream(target), 1 << 16)) {
            PngRowEncoder png = new PngRowEncoder(out, width, height, 3);
            for (int y = 0; y < height; y++) {
                for (int x = 0; x < width; x++) {
                    int c = ResidualMapImage.colour(in.readFloat(), max);
                    rgb[3 * x] = (byte) (c >>> 16);
                    rgb[3 * x + 1] = (byte) (c >>> 8);
                    rgb[3 * x + 2] = (byte) c;
                }
                png.row(rgb);
            }
            png.finish();
        }
    }

    @Override
    public void close() throws IOException {
        try {
            values.close();
        } finally {
            Files.deleteIfExists(scratch);
        }
    }
}
