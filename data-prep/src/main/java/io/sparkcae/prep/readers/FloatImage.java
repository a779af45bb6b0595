package io.sparkcae.prep.readers;

/**
 * A decoded image as the pipeline wants it: float values in [0,1], C-order (channel, row, column). The
 * geometry and colour steps work on this form so they do not depend on how the file stored its pixels.
 */
record FloatImage(int channels, int height, int width, float[] data) {

    FloatImage {
        if ((long) channels * height * width != data.length) {
            throw new IllegalArgumentException("data has " + data.length + " values, not " + channels + "x"
                    + height + "x" + width);
        }
    }

    boolean hasSize(int targetHeight, int targetWidth) {
        return height == targetHeight && width == targetWidth;
    }

    /**
     * Converts between grayscale and RGB. RGB to gray uses the Rec. 601 luma weights on the stored values,
     * as PIL's convert("L") does, so results match what Python users get from the same files.
     */
    FloatImage withChannels(int target) {
        if (target == channels) {
            return this;
        }
        int plane = height * width;
        float[] out = new float[target * plane];
        if (channels == 1 && target == 3) {
            for (int c = 0; c < 3; c++) {
                System.arraycopy(data, 0, out, c * plane, plane);
            }
        } else if (channels == 3 && target == 1) {
            for (int i = 0; i < plane; i++) {
                out[i] = 0.299f * data[i] + 0.587f * data[plane + i] + 0.114f * data[2 * plane + i];
            }
        } else {
            throw new IllegalArgumentException("cannot convert " + channels + " channels to " + target);
        }
        return new FloatImage(target, height, width, out);
    }

    /**
     * Bilinear resampling with pixel centres aligned (OpenCV's INTER_LINEAR / PIL without antialiasing),
     * so an image resized to its own size is unchanged and a shrink does not shift content by half a pixel.
     */
    FloatImage resizeBilinear(int targetHeight, int targetWidth) {
        if (hasSize(targetHeight, targetWidth)) {
            return this;
        }
        int[] y0 = new int[targetHeight];
        int[] y1 = new int[targetHeight];
        float[] fy = new float[targetHeight];
        sourceCoordinates(height, targetHeight, y0, y1, fy);
        int[] x0 = new int[targetWidth];
        int[] x1 = new int[targetWidth];
        float[] fx = new float[targetWidth];
        sourceCoordinates(width, targetWidth, x0, x1, fx);

        float[] out = new float[channels * targetHeight * targetWidth];
        for (int c = 0; c < channels; c++) {
            int src = c * height * width;
            int dst = c * targetHeight * targetWidth;
            for (int y = 0; y < targetHeight; y++) {
                int top = src + y0[y] * width;
                int bottom = src + y1[y] * width;
                for (int x = 0; x < targetWidth; x++) {
                    float upper = data[top + x0[x]] + fx[x] * (data[top + x1[x]] - data[top + x0[x]]);
                    float lower = data[bottom + x0[x]] + fx[x] * (data[bottom + x1[x]] - data[bottom + x0[x]]);
                    out[dst + y * targetWidth + x] = upper + fy[y] * (lower - upper);
                }
            }
        }
        return new FloatImage(channels, targetHeight, targetWidth, out);
    }

    /** For each target index: the two source neighbours and the weight of the second, edges clamped. */
    private static void sourceCoordinates(int sourceSize, int targetSize, int[] lo, int[] hi, float[] frac) {
        double scale = (double) sourceSize / targetSize;
        for (int i = 0; i < targetSize; i++) {
            double s = Math.min(Math.max((i + 0.5) * scale - 0.5, 0), sourceSize - 1);
            lo[i] = (int) Math.floor(s);
            hi[i] = Math.min(lo[i] + 1, sourceSize - 1);
            frac[i] = (float) (s - lo[i]);
        }
    }

    /**
     * The central window of the target size. Offsets round down, so an odd surplus leaves its extra
     * row/column at the bottom/right. The caller makes sure the image is at least that big.
     */
    FloatImage centerCrop(int targetHeight, int targetWidth) {
        if (targetHeight > height || targetWidth > width) {
            throw new IllegalArgumentException("crop " + targetHeight + "x" + targetWidth + " is larger than the "
                    + height + "x" + width + " image");
        }
        if (hasSize(targetHeight, targetWidth)) {
            return this;
        }
        return crop((height - targetHeight) / 2, (width - targetWidth) / 2, targetHeight, targetWidth);
    }

    /** The window starting at (top, left) of the given size; the caller keeps it inside the image. */
    FloatImage crop(int top, int left, int targetHeight, int targetWidth) {
        float[] out = new float[channels * targetHeight * targetWidth];
        for (int c = 0; c < channels; c++) {
            for (int y = 0; y < targetHeight; y++) {
                System.arraycopy(data, (c * height + top + y) * width + left,
                        out, (c * targetHeight + y) * targetWidth, targetWidth);
            }
        }
        return new FloatImage(channels, targetHeight, targetWidth, out);
    }
}
