package io.sparkcae.prep.reassembly;

import io.sparkcae.core.files.AtomicFileWrite;

import io.sparkcae.core.tensor.PatchShape;

import javax.imageio.ImageIO;
import java.awt.image.BufferedImage;
import java.awt.image.WritableRaster;
import java.io.IOException;
import java.nio.file.Path;

/**
 * Writes a 2D sample (C, H, W) as PNG for viewing: values in [0, 1] are scaled to the bit depth,
 * clamped outside it, NaN drawn black. 8-bit for 1 (gray) or 3 (RGB) channels; 16-bit for grayscale
 * when 256 levels would band (residual maps, smooth reconstructions).
 */
public final class PngWriter {
    private PngWriter() {
    }

    /** 8-bit gray (C = 1) or RGB (C = 3). */
    public static void write(Path file, PatchShape shape, float[] values) throws IOException {
        check(shape, values);
        int c = shape.channels();
        if (c != 1 && c != 3) {
            throw new IllegalArgumentException("PNG takes 1 or 3 channels, got " + shape);
        }
        BufferedImage image = new BufferedImage(shape.spatial(1), shape.spatial(0),
                c == 1 ? BufferedImage.TYPE_BYTE_GRAY : BufferedImage.TYPE_INT_RGB);
        fill(image.getRaster(), shape, values, 255);
        save(file, image);
    }

    /** 16-bit grayscale (C = 1). */
    public static void writeGray16(Path file, PatchShape shape, float[] values) throws IOException {
        check(shape, values);
        if (shape.channels() != 1) {
            throw new IllegalArgumentException("16-bit PNG takes 1 channel, got " + shape);
        }
        BufferedImage image = new BufferedImage(shape.spatial(1), shape.spatial(0), BufferedImage.TYPE_USHORT_GRAY);
        fill(image.getRaster(), shape, values, 65535);
        save(file, image);
    }

    static void check(PatchShape shape, float[] values) {
        if (shape.spatialRank() != 2) {
            throw new IllegalArgumentException("images are 2D, got " + shape + "; write volumes with NpyWriter");
        }
        if (values.length != shape.elementCount()) {
            throw new IllegalArgumentException(shape + " has " + shape.elementCount() + " values, got " + values.length);
        }
    }

    /** Channel c of the C-order data goes to raster band c (gray, or R, G, B). */
    private static void fill(WritableRaster raster, PatchShape shape, float[] values, int max) {
        int h = shape.spatial(0);
        int w = shape.spatial(1);
        for (int c = 0; c < shape.channels(); c++) {
            for (int y = 0; y < h; y++) {
                for (int x = 0; x < w; x++) {
                    raster.setSample(x, y, c, UnitQuantizer.level(values[(c * h + y) * w + x], max));
                }
            }
        }
    }

    private static void save(Path file, BufferedImage image) throws IOException {
        AtomicFileWrite.write(file, out -> {
            // ImageIO reports a missing encoder by returning false rather than throwing.
            if (!ImageIO.write(image, "png", out)) {
                throw new IOException("no PNG writer for image type " + image.getType());
            }
        });
    }
}
