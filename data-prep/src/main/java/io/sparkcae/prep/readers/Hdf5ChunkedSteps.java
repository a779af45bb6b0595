package io.sparkcae.prep.readers;

import io.jhdf.api.dataset.ChunkedDataset;
import io.jhdf.exceptions.HdfException;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * Reads a range of time steps from a chunked HDF5 dataset chunk by chunk. jhdf 0.9.4's own slice read
 * ({@code Dataset.getData(offset, shape)}) looks chunks up by chunk index where its table is keyed by element
 * offset, so every chunk but the first comes back as zeros (jhdf issue #727, fixed in 0.13). This class asks
 * for each chunk the steps overlap by its element offset, decompresses it once for the whole range and
 * copies the overlapping rows into the steps.
 */
final class Hdf5ChunkedSteps {

    private final ChunkedDataset dataset;
    private final ElementType type;
    private final ByteOrder order;
    private final int[] dims;
    private final int[] chunk;
    /** 1 when the first axis is time (5-D), 0 when the whole dataset is one step. */
    private final int timeAxes;

    Hdf5ChunkedSteps(ChunkedDataset dataset, ElementType type, ByteOrder order, boolean timeAxis) {
        this.dataset = dataset;
        this.type = type;
        this.order = order;
        this.dims = dataset.getDimensions();
        // Some layout versions append the element size as an extra "dimension"; only the first rank count.
        this.chunk = Arrays.copyOf(dataset.getChunkDimensions(), dims.length);
        this.timeAxes = timeAxis ? 1 : 0;
    }

    /** Steps {@code first .. first + count - 1} as C-order float[]s; missing chunks read as the fill value. */
    List<float[]> read(long first, int count) {
        int stepElements = 1;
        for (int a = timeAxes; a < dims.length; a++) {
            stepElements *= dims[a];
        }
        List<float[]> steps = new ArrayList<>(count);
        for (int i = 0; i < count; i++) {
            steps.add(new float[stepElements]);
        }
        long[] lo = new long[dims.length];
        long[] hi = new long[dims.length];
        for (int a = 0; a < dims.length; a++) {
            hi[a] = dims[a];
        }
        if (timeAxes == 1) {
            lo[0] = first;
            hi[0] = first + count;
        }
        float fill = fillValue();
        int[] offset = new int[dims.length];
        for (int a = 0; a < dims.length; a++) {
            offset[a] = (int) (lo[a] / chunk[a] * chunk[a]);
        }
        float[] values = new float[Arrays.stream(chunk).reduce(1, Math::multiplyExact)];
        while (true) {
            if (decode(offset, values, fill)) {
                scatter(offset, values, lo, hi, first, steps);
            } else {
                scatterFill(offset, fill, lo, hi, first, steps);
            }
            int a = dims.length - 1;
            while (a >= 0) {
                offset[a] += chunk[a];
                if (offset[a] < hi[a]) {
                    break;
                }
                offset[a] = (int) (lo[a] / chunk[a] * chunk[a]);
                a--;
            }
            if (a < 0) {
                return steps;
            }
        }
    }

    /** Decodes the chunk at this element offset; false when the file never wrote it. */
    private boolean decode(int[] offset, float[] values, float fill) {
        byte[] bytes;
        try {
            bytes = dataset.getDecompressedChunk(offset);
        } catch (HdfException missing) {
            if (missing.getMessage() != null && missing.getMessage().startsWith("No chunk with offset")) {
                return false;
            }
            throw missing;
        }
        int n = Math.min(values.length, bytes.length / type.bytes());
        type.decode(ByteBuffer.wrap(bytes).order(order), values, 0, n);
        Arrays.fill(values, n, values.length, fill);
        return true;
    }

    /** Copies the part of a chunk inside [lo, hi) into the steps, one row along the last axis at a time. */
    private void scatter(int[] offset, float[] values, long[] lo, long[] hi, long first, List<float[]> steps) {
        int rank = dims.length;
        int[] start = new int[rank];
        int[] end = new int[rank];
        for (int a = 0; a < rank; a++) {
            start[a] = (int) Math.max(lo[a], offset[a]);
            end[a] = (int) Math.min(hi[a], (long) offset[a] + chunk[a]);
        }
        int rowLength = end[rank - 1] - start[rank - 1];
        int[] index = start.clone();
        while (true) {
            int src = 0;
            for (int a = 0; a < rank; a++) {
                src = src * chunk[a] + (index[a] - offset[a]);
            }
            float[] step = steps.get(timeAxes == 1 ? (int) (index[0] - first) : 0);
            System.arraycopy(values, src, step, stepIndex(index), rowLength);
            if (!advanceRow(index, start, end)) {
                return;
            }
        }
    }

    private void scatterFill(int[] offset, float fill, long[] lo, long[] hi, long first, List<float[]> steps) {
        if (fill == 0f) {
            return; // the step arrays start as zeros
        }
        int rank = dims.length;
        int[] start = new int[rank];
        int[] end = new int[rank];
        for (int a = 0; a < rank; a++) {
            start[a] = (int) Math.max(lo[a], offset[a]);
            end[a] = (int) Math.min(hi[a], (long) offset[a] + chunk[a]);
        }
        int[] index = start.clone();
        do {
            float[] step = steps.get(timeAxes == 1 ? (int) (index[0] - first) : 0);
            int at = stepIndex(index);
            Arrays.fill(step, at, at + end[rank - 1] - start[rank - 1], fill);
        } while (advanceRow(index, start, end));
    }

    /** C-order position of {@code index} (time axis excluded) inside its step. */
    private int stepIndex(int[] index) {
        int at = 0;
        for (int a = timeAxes; a < dims.length; a++) {
            at = at * dims[a] + index[a];
        }
        return at;
    }

    /** Moves to the next row start (all axes but the last); false after the last row. */
    private static boolean advanceRow(int[] index, int[] start, int[] end) {
        for (int a = index.length - 2; a >= 0; a--) {
            if (++index[a] < end[a]) {
                return true;
            }
            index[a] = start[a];
        }
        return false;
    }

    private float fillValue() {
        Object fill = dataset.getFillValue();
        return fill instanceof Number number ? number.floatValue() : 0f;
    }
}
