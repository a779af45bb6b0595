package io.sparkcae.core.model.layers;

/**
 * One channel of a D x H x W volume shifted by every tap of a stride-1, same-padded 3D kernel, and the
 * adjoint (the taps' shifted planes summed back into one channel). With these, a convolution that has one
 * input or one output channel is a plain matrix product over the taps.
 *
 * <p>Tap t = (a, b, c) of a kd x kh x kw kernel reads the input at offset (a - kd/2, b - kh/2, c - kw/2), so
 * with {@code sign} = +1 {@link #expand} gives {@code plane_t[p] = x[p + offset_t]} (zero outside the volume)
 * and {@link #gatherSum} gives {@code y[p] += sum_t plane_t[p + offset_t]}; with {@code sign} = -1 the offsets
 * are negated (the transposed operation, for gradients).
 *
 * <p>Both walk each depth slice as one contiguous span of rows: a span that starts and ends inside the
 * volume only leaves the valid range at row ends, where it wraps into a neighbouring row's edge columns.
 * {@link #expand} zeroes what those wrapped positions copied; {@link #gatherSum} zeroes the edge columns that
 * no valid position reads before it sums, so wrapped positions add zero.
 */
final class TapShifts {
    private final int depth;
    private final int height;
    private final int width;
    private final int[] kernel;

    TapShifts(int depth, int height, int width, int[] kernel) {
        for (int k : kernel) {
            if (k % 2 == 0) {
                throw new IllegalArgumentException("kernel sides must be odd: " + java.util.Arrays.toString(kernel));
            }
        }
        this.depth = depth;
        this.height = height;
        this.width = width;
        this.kernel = kernel.clone();
    }

    int taps() {
        return kernel[0] * kernel[1] * kernel[2];
    }

    int volume() {
        return depth * height * width;
    }

    /**
     * Writes the taps' shifted copies of {@code src[srcOff .. +volume)} to {@code dst}, tap t's at
     * {@code dstOff + t * planeStride}; {@code dst} must be zero there.
     */
    void expand(float[] src, int srcOff, float[] dst, int dstOff, int planeStride, int sign) {
        int plane = height * width;
        forEachTap(sign, (t, s) -> {
            int out = dstOff + t * planeStride;
            int edge = Math.abs(s.ow);
            for (int d = s.dLo; d < s.dHi; d++) {
                int start = d * plane + s.hLo * width + s.wLo;
                int end = d * plane + (s.hHi - 1) * width + s.wHi;
                System.arraycopy(src, srcOff + start + s.offset, dst, out + start, end - start);
                if (edge > 0) {
                    for (int h = s.hLo; h < s.hHi - 1; h++) {
                        int from = out + d * plane + h * width + s.wHi;
                        java.util.Arrays.fill(dst, from, from + edge, 0f);
                    }
                }
            }
        });
    }

    /**
     * Adds the taps' shifted planes (tap t's at {@code planesOff + t * planeStride}) into
     * {@code y[yOff .. +volume)}. The planes' edge columns that no valid position reads are zeroed on the way.
     */
    void gatherSum(float[] planes, int planesOff, int planeStride, float[] y, int yOff, int sign) {
        int plane = height * width;
        forEachTap(sign, (t, s) -> {
            int in = planesOff + t * planeStride;
            // columns [0, ow) are never read when ow > 0, columns [W + ow, W) when ow < 0
            int zeroFrom = s.ow > 0 ? 0 : width + s.ow;
            int zeroTo = s.ow > 0 ? s.ow : width;
            for (int d = s.dLo; d < s.dHi; d++) {
                int start = d * plane + s.hLo * width + s.wLo;
                int end = d * plane + (s.hHi - 1) * width + s.wHi;
                if (s.ow != 0) {
                    int readPlane = in + (d + s.od) * plane;
                    for (int h = s.hLo + s.oh; h < s.hHi + s.oh; h++) {
                        java.util.Arrays.fill(planes, readPlane + h * width + zeroFrom,
                                readPlane + h * width + zeroTo, 0f);
                    }
                }
                addShifted(planes, in + start + s.offset, y, yOff + start, end - start);
            }
        });
    }

    /** The work on one tap's plane: t is its index, s where it stays inside the volume. */
    private interface TapWork {
        void run(int t, Span s);
    }

    /** Runs {@code work} for every tap whose shifted plane overlaps the volume. */
    private void forEachTap(int sign, TapWork work) {
        Span[] spans = spans(sign);
        for (int t = 0; t < spans.length; t++) {
            if (!spans[t].empty()) {
                work.run(t, spans[t]);
            }
        }
    }

    /** Tap t's span, for t in kernel order (depth, height, width), offsets times {@code sign}. */
    private Span[] spans(int sign) {
        Span[] spans = new Span[taps()];
        int t = 0;
        for (int a = 0; a < kernel[0]; a++) {
            for (int b = 0; b < kernel[1]; b++) {
                for (int c = 0; c < kernel[2]; c++) {
                    spans[t++] = new Span(sign * (a - kernel[0] / 2), sign * (b - kernel[1] / 2),
                            sign * (c - kernel[2] / 2));
                }
            }
        }
        return spans;
    }

    private static void addShifted(float[] src, int srcFrom, float[] y, int yFrom, int length) {
        for (int i = 0; i < length; i++) {
            y[yFrom + i] += src[srcFrom + i];
        }
    }

    /** The output positions a tap's offset (od, oh, ow) keeps inside the volume, and its flat offset. */
    private final class Span {
        final int od;
        final int oh;
        final int ow;
        final int dLo;
        final int dHi;
        final int hLo;
        final int hHi;
        final int wLo;
        final int wHi;
        final int offset;

        Span(int od, int oh, int ow) {
            this.od = od;
            this.oh = oh;
            this.ow = ow;
            dLo = Math.max(0, -od);
            dHi = Math.min(depth, depth - od);
            hLo = Math.max(0, -oh);
            hHi = Math.min(height, height - oh);
            wLo = Math.max(0, -ow);
            wHi = Math.min(width, width - ow);
            offset = (od * height + oh) * width + ow;
        }

        boolean empty() {
            return dLo >= dHi || hLo >= hHi || wLo >= wHi;
        }
    }
}
