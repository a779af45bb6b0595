package io.sparkcae.core.report;

import java.awt.image.BufferedImage;
import java.util.Arrays;

/**
 * An RGB image that small patches are pasted into with nearest-neighbour upscaling. Patches are a
 * few dozen pixels wide, so without upscaling they are unreadable in a report; nearest keeps
 * pixel edges sharp, which is what one wants when judging reconstruction detail.
 */
final class TileCanvas {

    /** Colour of one source pixel. */
    @FunctionalInterface
    interface PixelSource {
        int rgb(int y, int x);
    }

    private final BufferedImage image;

    TileCanvas(int width, int height, int backgroundRgb) {
        this.image = new BufferedImage(width, height, BufferedImage.TYPE_INT_RGB);
        int[] row = new int[width];
        Arrays.fill(row, backgroundRgb);
        for (int y = 0; y < height; y++) {
            image.setRGB(0, y, width, 1, row, 0, width);
        }
    }

    /** Pastes an h×w tile, each source pixel becoming a scale×scale block, with its top-left at (left, top). */
    void paste(PixelSource source, int h, int w, int scale, int left, int top) {
        int[] row = new int[w * scale];
        for (int y = 0; y < h; y++) {
            for (int x = 0; x < w; x++) {
                Arrays.fill(row, x * scale, (x + 1) * scale, source.rgb(y, x));
            }
            for (int dy = 0; dy < scale; dy++) {
                image.setRGB(left, top + y * scale + dy, row.length, 1, row, 0, row.length);
            }
        }
    }

    BufferedImage image() {
        return image;
    }

    /** Rejects sizes that would overflow int pixel arithmetic before allocating anything. */
    static int scaledSize(int size, int scale, String what) {
        if (size <= 0) {
            throw new IllegalArgumentException(what + " must be positive, got " + size);
        }
        if (scale <= 0) {
            throw new IllegalArgumentException("scale must be positive, got " + scale);
        }
        try {
            return Math.multiplyExact(size, scale);
        } catch (ArithmeticException e) {
            throw new IllegalArgumentException(what + " " + size + " times scale " + scale + " is too large", e);
        }
    }
}
