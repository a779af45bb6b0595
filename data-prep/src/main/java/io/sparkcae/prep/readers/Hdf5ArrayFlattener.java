package io.sparkcae.prep.readers;

import java.math.BigInteger;

/**
 * Copies the nested Java arrays jhdf returns (float[][][], int[][][][], ...) into one flat float[] in
 * C order, the layout jhdf fills them in. Integers convert as they are; unsigned 64-bit values arrive as
 * BigInteger.
 */
final class Hdf5ArrayFlattener {

    private Hdf5ArrayFlattener() {
    }

    /** Copies {@code array} into {@code out} from {@code offset}; returns the offset after the last value. */
    static int flatten(Object array, float[] out, int offset) {
        if (array instanceof Object[] nested && !(array instanceof BigInteger[])) {
            int at = offset;
            for (Object inner : nested) {
                at = flatten(inner, out, at);
            }
            return at;
        }
        if (array instanceof float[] a) {
            System.arraycopy(a, 0, out, offset, a.length);
            return offset + a.length;
        }
        if (array instanceof double[] a) {
            for (int i = 0; i < a.length; i++) {
                out[offset + i] = (float) a[i];
            }
            return offset + a.length;
        }
        if (array instanceof byte[] a) {
            for (int i = 0; i < a.length; i++) {
                out[offset + i] = a[i];
            }
            return offset + a.length;
        }
        if (array instanceof short[] a) {
            for (int i = 0; i < a.length; i++) {
                out[offset + i] = a[i];
            }
            return offset + a.length;
        }
        if (array instanceof int[] a) {
            for (int i = 0; i < a.length; i++) {
                out[offset + i] = a[i];
            }
            return offset + a.length;
        }
        if (array instanceof long[] a) {
            for (int i = 0; i < a.length; i++) {
                out[offset + i] = a[i];
            }
            return offset + a.length;
        }
        if (array instanceof BigInteger[] a) {
            for (int i = 0; i < a.length; i++) {
                out[offset + i] = a[i].floatValue();
            }
            return offset + a.length;
        }
        throw new IllegalArgumentException("not a numeric array: " + (array == null ? null : array.getClass()));
    }
}
