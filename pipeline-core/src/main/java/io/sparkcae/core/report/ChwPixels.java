package io.sparkcae.core.report;

/**
 * Reads one C-order (C,H,W) float patch as 8-bit RGB. Values are nominally in [0,1]; anything
 * outside is clamped and NaN is drawn black, because a figure must still render when a model
 * diverges — that is exactly when someone wants to look at it.
 */
final class ChwPixels {

    private final float[] values;
    private final int channels;
    private final int plane;
    private final int width;

    ChwPixels(float[] values, int channels, int height, int width) {
        if (channels != 1 && channels != 3) {
            throw new IllegalArgumentException("channels must be 1 (gray) or 3 (RGB), got " + channels);
        }
        this.values = values;
        this.channels = channels;
        this.plane = height * width;
        this.width = width;
    }

    int rgb(int y, int x) {
        int i = y * width + x;
        if (channels == 1) {
            int v = toByte(values[i]);
            return (v << 16) | (v << 8) | v;
        }
        return (toByte(values[i]) << 16) | (toByte(values[plane + i]) << 8) | toByte(values[2 * plane + i]);
    }

    static int toByte(float v) {
        if (!(v > 0f)) {
            return 0; // also NaN
        }
        if (v >= 1f) {
            return 255;
        }
        return Math.round(v * 255f);
    }
}
