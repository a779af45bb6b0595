package io.sparkcae.prep.readers;

import java.nio.ByteBuffer;

/**
 * The numeric element types volume files may store, and their conversion to float. Values are converted
 * as they are, without rescaling: simulation fields keep their physical units and a later stage
 * normalises them, so an int16 of 1000 becomes 1000f, not 1000/32767.
 */
enum ElementType {
    FLOAT32(4, "float32"),
    FLOAT64(8, "float64"),
    INT8(1, "int8"),
    UINT8(1, "uint8"),
    INT16(2, "int16"),
    UINT16(2, "uint16"),
    INT32(4, "int32"),
    UINT32(4, "uint32"),
    INT64(8, "int64"),
    UINT64(8, "uint64");

    private final int bytes;
    private final String label;

    ElementType(int bytes, String label) {
        this.bytes = bytes;
        this.label = label;
    }

    /** Bytes per element. */
    int bytes() {
        return bytes;
    }

    /** The numpy-style name (float32, uint16, ...) that sidecars use and messages print. */
    String label() {
        return label;
    }

    /** The type with this numpy-style name, or null. */
    static ElementType ofLabel(String label) {
        for (ElementType t : values()) {
            if (t.label.equals(label)) {
                return t;
            }
        }
        return null;
    }

    /**
     * Converts {@code count} elements starting at the buffer's position (its byte order already set) into
     * {@code out[offset..]}, advancing the buffer. NaN and infinities pass through unchanged.
     */
    void decode(ByteBuffer in, float[] out, int offset, int count) {
        switch (this) {
            case FLOAT32 -> in.asFloatBuffer().get(out, offset, count);
            case FLOAT64 -> {
                for (int i = 0; i < count; i++) {
                    out[offset + i] = (float) in.getDouble(in.position() + 8 * i);
                }
            }
            case INT8 -> {
                for (int i = 0; i < count; i++) {
                    out[offset + i] = in.get(in.position() + i);
                }
            }
            case UINT8 -> {
                for (int i = 0; i < count; i++) {
                    out[offset + i] = in.get(in.position() + i) & 0xff;
                }
            }
            case INT16 -> {
                for (int i = 0; i < count; i++) {
                    out[offset + i] = in.getShort(in.position() + 2 * i);
                }
            }
            case UINT16 -> {
                for (int i = 0; i < count; i++) {
                    out[offset + i] = in.getShort(in.position() + 2 * i) & 0xffff;
                }
            }
            case INT32 -> {
                for (int i = 0; i < count; i++) {
                    out[offset + i] = in.getInt(in.position() + 4 * i);
                }
            }
            case UINT32 -> {
                for (int i = 0; i < count; i++) {
                    out[offset + i] = in.getInt(in.position() + 4 * i) & 0xffffffffL;
                }
            }
            case INT64 -> {
                for (int i = 0; i < count; i++) {
                    out[offset + i] = in.getLong(in.position() + 8 * i);
                }
            }
            case UINT64 -> {
                for (int i = 0; i < count; i++) {
                    out[offset + i] = unsignedToFloat(in.getLong(in.position() + 8 * i));
                }
            }
            default -> throw new IllegalStateException("no decoder for " + this);
        }
        in.position(in.position() + count * bytes);
    }

    /** Halving keeps the top bits of values >= 2^63; or-ing the lost bit back rounds like a true unsigned. */
    private static float unsignedToFloat(long v) {
        return v >= 0 ? v : (float) ((v >>> 1) | (v & 1)) * 2f;
    }
}
