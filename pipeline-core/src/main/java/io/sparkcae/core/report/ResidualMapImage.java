package io.sparkcae.core.report;

import java.io.IOException;
import java.nio.file.Path;

/**
 * Heat map of |input − reconstruction| for one single-channel (H,W) residual, normalised by its own
 * maximum so the worst-reconstructed region is always the brightest (white). Because the scale is
 * per image, compare shapes across maps, not brightness.
 */
public final class ResidualMapImage {

    private ResidualMapImage() {
    }

    /**
     * @param residual H*W values in row-major order; sign is ignored. NaN is drawn black and
     *                 infinities white, and neither takes part in the normalisation, so one bad
     *                 value cannot wash out the rest of the map.
     * @param scale    nearest-neighbour upscale factor, at least 1
     * @throws IllegalArgumentException when residual.length != height*width
     */
    public static void write(float[] residual, int height, int width, Path png, int scale) throws IOException {
        if (residual == null) {
            throw new IllegalArgumentException("residual must not be null");
        }
        int outH = TileCanvas.scaledSize(height, scale, "height");
        int outW = TileCanvas.scaledSize(width, scale, "width");
        if (residual.length != (long) height * width) {
            throw new IllegalArgumentException("residual has " + residual.length + " values, expected H*W = "
                    + height + "*" + width + " = " + (long) height * width);
        }
        double max = maxFiniteAbs(residual);
        TileCanvas canvas = new TileCanvas(outW, outH, 0x000000);
        canvas.paste((y, x) -> colour(residual[y * width + x], max), height, width, scale, 0, 0);
        PngFile.write(canvas.image(), png);
    }

    /**
     * The 0xRRGGBB colour of one residual on a map whose largest finite |residual| is {@code maxFiniteAbs}: what
     * {@link #write} draws, for writers that stream a map row by row.
     */
    public static int colour(float residual, double maxFiniteAbs) {
        return HeatRamp.rgb(normalise(residual, maxFiniteAbs));
    }

    private static double maxFiniteAbs(float[] values) {
        double max = 0.0;
        for (float v : values) {
            if (Float.isFinite(v)) {
                max = Math.max(max, Math.abs(v));
            }
        }
        return max;
    }

    private static double normalise(float v, double max) {
        if (Float.isInfinite(v)) {
            return 1.0;
        }
        // max == 0 means an all-zero (or all-NaN) residual: a perfect reconstruction stays black.
        return max == 0.0 ? 0.0 : Math.abs(v) / max;
    }
}
