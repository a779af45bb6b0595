package io.sparkcae.core.report;

import java.io.IOException;
import java.nio.file.Path;

/**
 * Patches laid out as rows x columns of upscaled tiles with thin separators: decoded samples and latent
 * interpolations of a variational model. Same tile style as {@link ReconstructionGrid}.
 */
public final class PatchGrid {
    private PatchGrid() {
    }

    /** Pixel size of a grid of {@code tiles} tiles of {@code tileSize} pixels along one axis. */
    public static int size(int tiles, int tileSize) {
        return tiles * (tileSize + ReconstructionGrid.SEPARATOR_PX) + ReconstructionGrid.SEPARATOR_PX;
    }

    /**
     * @param rows each row's patches, C-order (C,H,W), values nominally in [0,1]; all rows equally long
     * @param channels 1 (gray) or 3 (RGB)
     */
    public static void write(float[][][] rows, int channels, int height, int width, Path png, int scale)
            throws IOException {
        if (rows.length == 0 || rows[0].length == 0) {
            throw new IllegalArgumentException("no patches to draw");
        }
        int cols = rows[0].length;
        for (float[][] row : rows) {
            if (row.length != cols) {
                throw new IllegalArgumentException("rows of different lengths: " + row.length + " vs " + cols);
            }
            for (float[] p : row) {
                if (p.length != channels * height * width) {
                    throw new IllegalArgumentException("patch of " + p.length + " values, expected "
                            + channels * height * width);
                }
            }
        }
        int tileH = TileCanvas.scaledSize(height, scale, "height");
        int tileW = TileCanvas.scaledSize(width, scale, "width");
        TileCanvas canvas = new TileCanvas(size(cols, tileW), size(rows.length, tileH), ReconstructionGrid.SEPARATOR_RGB);
        int sep = ReconstructionGrid.SEPARATOR_PX;
        for (int r = 0; r < rows.length; r++) {
            for (int c = 0; c < cols; c++) {
                canvas.paste(new ChwPixels(rows[r][c], channels, height, width)::rgb, height, width, scale,
                        sep + c * (tileW + sep), sep + r * (tileH + sep));
            }
        }
        PngFile.write(canvas.image(), png);
    }
}
