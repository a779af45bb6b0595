package io.sparkcae.core.report;

import java.io.IOException;
import java.nio.file.Path;

/**
 * Side-by-side view of autoencoder inputs (top row) and their reconstructions (bottom row, same
 * column), so blurring or colour shifts can be spotted at a glance.
 *
 * <p>Layout: {@value #SEPARATOR_PX}px separators in {@link #SEPARATOR_RGB} around and between all
 * tiles. Tile (row r, column c) has its top-left pixel at
 * ({@code SEPARATOR_PX + c * (width*scale + SEPARATOR_PX)}, {@code SEPARATOR_PX + r * (height*scale + SEPARATOR_PX)}).
 */
public final class ReconstructionGrid {

    /** More columns would make tiles too small to judge on a report page. */
    public static final int MAX_COLUMNS = 16;
    public static final int SEPARATOR_PX = 2;
    /** A blue no gray patch can produce, so tile borders stay visible on gray images. */
    public static final int SEPARATOR_RGB = 0x3050A0;

    private ReconstructionGrid() {
    }

    /**
     * @param inputs          1..{@value #MAX_COLUMNS} patches, each C-order (C,H,W) with values nominally in [0,1]
     * @param reconstructions one per input, same shape
     * @param channels        1 (gray) or 3 (RGB)
     * @param scale           nearest-neighbour upscale factor, at least 1
     * @throws IllegalArgumentException when counts, shapes or sizes do not match
     */
    public static void write(float[][] inputs, float[][] reconstructions, int channels, int height, int width,
                             Path png, int scale) throws IOException {
        validate(inputs, reconstructions, channels, height, width);
        int tileH = TileCanvas.scaledSize(height, scale, "height");
        int tileW = TileCanvas.scaledSize(width, scale, "width");
        int n = inputs.length;
        TileCanvas canvas = new TileCanvas(
                gridSize(n, tileW, "grid width"), gridSize(2, tileH, "grid height"), SEPARATOR_RGB);
        for (int c = 0; c < n; c++) {
            int left = SEPARATOR_PX + c * (tileW + SEPARATOR_PX);
            canvas.paste(new ChwPixels(inputs[c], channels, height, width)::rgb,
                    height, width, scale, left, SEPARATOR_PX);
            canvas.paste(new ChwPixels(reconstructions[c], channels, height, width)::rgb,
                    height, width, scale, left, SEPARATOR_PX + tileH + SEPARATOR_PX);
        }
        PngFile.write(canvas.image(), png);
    }

    private static int gridSize(int tiles, int tileSize, String what) {
        long size = (long) tiles * (tileSize + SEPARATOR_PX) + SEPARATOR_PX;
        if (size > Integer.MAX_VALUE) {
            throw new IllegalArgumentException(what + " of " + size + " pixels is too large");
        }
        return (int) size;
    }

    private static void validate(float[][] inputs, float[][] reconstructions, int channels, int height, int width) {
        if (inputs == null || reconstructions == null) {
            throw new IllegalArgumentException("inputs and reconstructions must not be null");
        }
        if (inputs.length == 0 || inputs.length > MAX_COLUMNS) {
            throw new IllegalArgumentException(
                    "inputs must hold 1.." + MAX_COLUMNS + " patches, got " + inputs.length);
        }
        if (reconstructions.length != inputs.length) {
            throw new IllegalArgumentException("reconstructions has " + reconstructions.length
                    + " patches but inputs has " + inputs.length);
        }
        if (channels != 1 && channels != 3) {
            throw new IllegalArgumentException("channels must be 1 (gray) or 3 (RGB), got " + channels);
        }
        if (height <= 0 || width <= 0) {
            throw new IllegalArgumentException("height and width must be positive, got " + height + "x" + width);
        }
        long expected = (long) channels * height * width;
        checkLengths("inputs", inputs, expected, channels, height, width);
        checkLengths("reconstructions", reconstructions, expected, channels, height, width);
    }

    private static void checkLengths(String name, float[][] patches, long expected, int c, int h, int w) {
        for (int i = 0; i < patches.length; i++) {
            if (patches[i] == null) {
                throw new IllegalArgumentException(name + "[" + i + "] is null");
            }
            if (patches[i].length != expected) {
                throw new IllegalArgumentException(name + "[" + i + "] has " + patches[i].length
                        + " values, expected C*H*W = " + c + "*" + h + "*" + w + " = " + expected);
            }
        }
    }
}
