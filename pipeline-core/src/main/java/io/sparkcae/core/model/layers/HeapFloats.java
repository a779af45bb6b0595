package io.sparkcae.core.model.layers;

import org.nd4j.linalg.api.ndarray.INDArray;

import java.nio.FloatBuffer;

/** Bulk copies between float ND4J arrays and Java float arrays, for the layers that compute on the heap. */
final class HeapFloats {
    private HeapFloats() {
    }

    /** Copies the array's elements, in c order, to the start of {@code out}. */
    static void read(INDArray a, float[] out) {
        INDArray c = denseC(a) ? a : a.dup('c');
        FloatBuffer buf = c.data().asNioFloat();
        buf.position((int) c.offset());
        buf.get(out, 0, (int) c.length());
    }

    /** Copies {@code values[0 .. length)} into the c-ordered, contiguous {@code target} of that length. */
    static void write(float[] values, int length, INDArray target) {
        if (!denseC(target) || target.length() != length) {
            throw new IllegalStateException("expected a contiguous c-ordered array of " + length);
        }
        FloatBuffer buf = target.data().asNioFloat();
        buf.position((int) target.offset());
        buf.put(values, 0, length);
    }

    private static boolean denseC(INDArray a) {
        return a.ordering() == 'c' && a.elementWiseStride() == 1;
    }
}
