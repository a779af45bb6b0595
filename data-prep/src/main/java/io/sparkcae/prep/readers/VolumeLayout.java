package io.sparkcae.prep.readers;

import io.sparkcae.core.error.SparkCaeException;
import io.sparkcae.core.tensor.PatchShape;

import java.io.Serializable;
import java.util.Arrays;

/**
 * How a volume file's array maps to samples: (t, c, z, y, x) for a time series, (c, z, y, x) for one
 * multi-channel volume, (z, y, x) for one single-channel volume. The shorter forms get t = 1 and c = 1 so
 * every reader works on the same five axes.
 *
 * @param ndim the number of axes the file stores: 3, 4 or 5
 */
record VolumeLayout(int ndim, long steps, int channels, int depth, int height, int width)
        implements Serializable {

    /** A step becomes one float[]; Java arrays stop a little short of 2^31 elements. */
    private static final long MAX_STEP_ELEMENTS = Integer.MAX_VALUE - 8;

    /**
     * The layout of an array of this shape, checked: 3 to 5 axes, all non-empty, one step small enough for
     * a float[].
     *
     * @param display how messages name the file
     */
    static VolumeLayout of(String display, long[] shape) {
        if (shape.length < 3 || shape.length > 5) {
            throw SparkCaeException.badData(display + ": array has " + shape.length + " dimensions "
                    + Arrays.toString(shape) + "; volumes need 3 (z,y,x), 4 (c,z,y,x) or 5 (t,c,z,y,x)");
        }
        for (long d : shape) {
            if (d <= 0) {
                throw SparkCaeException.badData(display + ": array shape " + Arrays.toString(shape)
                        + " has an empty axis");
            }
        }
        long[] full = new long[5];
        Arrays.fill(full, 1);
        System.arraycopy(shape, 0, full, 5 - shape.length, shape.length);
        if (full[1] * full[2] * full[3] * full[4] > MAX_STEP_ELEMENTS) {
            throw SparkCaeException.badData(display + ": one step of shape " + Arrays.toString(shape)
                    + " has more than " + MAX_STEP_ELEMENTS + " values, too many for one sample");
        }
        return new VolumeLayout(shape.length, full[0], (int) full[1], (int) full[2], (int) full[3],
                (int) full[4]);
    }

    /**
     * Whether the file has a time axis (5-D). Such a file is a series by itself, while files without one are
     * single steps that a folder puts in order.
     */
    boolean timeAxis() {
        return ndim == 5;
    }

    /** Values in one step. */
    int stepElements() {
        return channels * depth * height * width;
    }

    /** The shape of every sample (one step): C, D, H, W. */
    PatchShape sampleShape() {
        return PatchShape.of(channels, depth, height, width);
    }

    /** Sizes of the five logical axes t, c, z, y, x. */
    long[] axisSizes() {
        return new long[]{steps, channels, depth, height, width};
    }

    /** The array shape as the file stores it, e.g. "(4, 2, 16, 16, 16)", for messages. */
    String describeShape() {
        StringBuilder b = new StringBuilder("(");
        long[] sizes = axisSizes();
        int first = 5 - ndim;
        for (int a = first; a < 5; a++) {
            b.append(a == first ? "" : ", ").append(sizes[a]);
        }
        return b.append(")").toString();
    }
}
