package io.sparkcae.core.tensor;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;

/**
 * Patch tensors travel as little-endian float32 bytes (the Parquet {@code data} column): compact, and
 * decoded straight into a float[] or a direct buffer without boxing each element.
 */
public final class FloatCodec {
    private FloatCodec() {
    }

    public static byte[] encode(float[] values) {
        ByteBuffer buf = ByteBuffer.allocate(values.length * Float.BYTES).order(ByteOrder.LITTLE_ENDIAN);
        buf.asFloatBuffer().put(values);
        return buf.array();
    }

    public static float[] decode(byte[] bytes) {
        float[] out = new float[bytes.length / Float.BYTES];
        decodeInto(bytes, out, 0);
        return out;
    }

    /** Decodes into {@code dest} starting at {@code offset}; returns the number of floats written. */
    public static int decodeInto(byte[] bytes, float[] dest, int offset) {
        int n = bytes.length / Float.BYTES;
        ByteBuffer.wrap(bytes).order(ByteOrder.LITTLE_ENDIAN).asFloatBuffer().get(dest, offset, n);
        return n;
    }
}
