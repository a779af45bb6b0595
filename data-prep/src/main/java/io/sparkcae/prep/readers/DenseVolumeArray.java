package io.sparkcae.prep.readers;

import java.io.Serializable;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.ArrayList;
import java.util.List;

/**
 * Where the values of a dense binary array (an .npy payload, a .raw file) lie, and reading whole time steps
 * out of it in C order (c, z, y, x), whatever order the file stores its axes in.
 *
 * @param sizes     sizes of the logical axes t, c, z, y, x
 * @param fileOrder the logical axes (0 = t ... 4 = x) from slowest to fastest varying in the file: C order
 *                  is {0, 1, 2, 3, 4}, Fortran order {4, 3, 2, 1, 0}
 */
record DenseVolumeArray(ElementType type, boolean bigEndian, long dataOffset, long[] sizes, int[] fileOrder)
        implements Serializable {

    /** Contiguous steps are decoded in pieces of this many values, so no single read exceeds a window. */
    private static final int PIECE = 1 << 20;

    static final int[] C_ORDER = {0, 1, 2, 3, 4};
    static final int[] FORTRAN_ORDER = {4, 3, 2, 1, 0};

    ByteOrder byteOrder() {
        return bigEndian ? ByteOrder.BIG_ENDIAN : ByteOrder.LITTLE_ENDIAN;
    }

    /** Reads steps {@code first .. first + count - 1}, each as a C-order (c, z, y, x) float[]. */
    List<float[]> readSteps(FileWindow file, long first, int count) {
        long[] stride = elementStrides();
        int stepElements = (int) (sizes[1] * sizes[2] * sizes[3] * sizes[4]);
        List<float[]> steps = new ArrayList<>(count);
        for (int i = 0; i < count; i++) {
            steps.add(new float[stepElements]);
        }
        if (stepsAreCOrderBlocks(stride)) {
            for (int i = 0; i < count; i++) {
                readContiguous(file, (first + i) * stride[0], steps.get(i));
            }
        } else {
            gather(file, stride, first, count, steps);
        }
        return steps;
    }

    /** Element strides of the logical axes, from the file order. */
    private long[] elementStrides() {
        long[] stride = new long[5];
        long s = 1;
        for (int i = 4; i >= 0; i--) {
            stride[fileOrder[i]] = s;
            s *= sizes[fileOrder[i]];
        }
        return stride;
    }

    /**
     * True when each step is one C-order block (always for C-order files; also e.g. for Fortran files
     * whose step holds a single value). Axes of size 1 do not count: their stride never matters.
     */
    private boolean stepsAreCOrderBlocks(long[] stride) {
        long expected = 1;
        for (int axis = 4; axis >= 1; axis--) {
            if (sizes[axis] > 1 && stride[axis] != expected) {
                return false;
            }
            expected *= sizes[axis];
        }
        return sizes[0] == 1 || stride[0] == expected;
    }

    private void readContiguous(FileWindow file, long firstElement, float[] out) {
        int size = type.bytes();
        for (int done = 0; done < out.length; done += PIECE) {
            int n = Math.min(PIECE, out.length - done);
            ByteBuffer bytes = file.read(dataOffset + (firstElement + done) * size, n * size);
            type.decode(bytes, out, done, n);
        }
    }

    /**
     * Walks the requested steps in file order, so reads only move forward through the file, one run along
     * the fastest file axis at a time, and scatters each run to its place in the C-order steps.
     */
    private void gather(FileWindow file, long[] stride, long first, int count, List<float[]> steps) {
        long[] start = {first, 0, 0, 0, 0};
        long[] length = {count, sizes[1], sizes[2], sizes[3], sizes[4]};
        long[] outStride = {0, sizes[2] * sizes[3] * sizes[4], sizes[3] * sizes[4], sizes[4], 1};
        int inner = fileOrder[4];
        int run = (int) length[inner];
        float[] values = new float[run];
        long[] index = start.clone();
        int size = type.bytes();
        while (true) {
            long element = 0;
            int position = 0;
            for (int axis = 0; axis < 5; axis++) {
                element += index[axis] * stride[axis];
                position += (int) (index[axis] * outStride[axis]);
            }
            type.decode(file.read(dataOffset + element * size, run * size), values, 0, run);
            if (inner == 0) {
                for (int i = 0; i < run; i++) {
                    steps.get(i)[position] = values[i];
                }
            } else {
                float[] step = steps.get((int) (index[0] - first));
                int innerOutStride = (int) outStride[inner];
                for (int i = 0; i < run; i++) {
                    step[position + i * innerOutStride] = values[i];
                }
            }
            // odometer over the outer file axes, fastest first
            int level = 3;
            while (level >= 0) {
                int axis = fileOrder[level];
                if (++index[axis] < start[axis] + length[axis]) {
                    break;
                }
                index[axis] = start[axis];
                level--;
            }
            if (level < 0) {
                return;
            }
        }
    }
}
