package io.sparkcae.prep.reassembly;

import io.sparkcae.core.files.AtomicFileWrite;

import io.sparkcae.core.tensor.PatchShape;

import java.io.BufferedOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;

/**
 * Writes a tensor as a NumPy {@code .npy} file (format 1.0, little-endian float32, C order), the one
 * format that keeps a 3D volume, several channels and exact float values, and opens with
 * {@code numpy.load}. The shape is written as given: (C, H, W) or (C, D, H, W).
 */
public final class NpyWriter {
    static final byte[] MAGIC = {(byte) 0x93, 'N', 'U', 'M', 'P', 'Y'};
    /** numpy pads the header so the data starts on a 64-byte boundary (memory-mapping friendly). */
    private static final int ALIGN = 64;

    private NpyWriter() {
    }

    public static void write(Path file, PatchShape shape, float[] values) throws IOException {
        if (values.length != shape.elementCount()) {
            throw new IllegalArgumentException(shape + " has " + shape.elementCount() + " values, got " + values.length);
        }
        byte[] header = header(shape);
        AtomicFileWrite.write(file, raw -> {
            OutputStream out = new BufferedOutputStream(raw, 1 << 16);
            out.write(header);
            ByteBuffer buf = ByteBuffer.allocate(1 << 16).order(ByteOrder.LITTLE_ENDIAN);
            for (float v : values) {
                if (buf.remaining() < Float.BYTES) {
                    out.write(buf.array(), 0, buf.position());
                    buf.clear();
                }
                buf.putFloat(v);
            }
            out.write(buf.array(), 0, buf.position());
            out.flush();
        });
    }

    /** Magic, version 1.0, little-endian uint16 header length, then the dict padded with spaces and '\n'. */
    static byte[] header(PatchShape shape) {
        StringBuilder dims = new StringBuilder();
        for (int d : shape.dims()) {
            dims.append(d).append(", ");
        }
        String tuple = "(" + dims.substring(0, dims.length() - 2) + ")"; // >= 3 dims: no 1-tuple comma
        StringBuilder dict = new StringBuilder("{'descr': '<f4', 'fortran_order': False, 'shape': " + tuple + ", }");
        int preamble = MAGIC.length + 2 + 2;
        while ((preamble + dict.length() + 1) % ALIGN != 0) {
            dict.append(' ');
        }
        dict.append('\n');
        byte[] text = dict.toString().getBytes(StandardCharsets.US_ASCII);
        ByteBuffer b = ByteBuffer.allocate(preamble + text.length).order(ByteOrder.LITTLE_ENDIAN);
        b.put(MAGIC).put((byte) 1).put((byte) 0).putShort((short) text.length).put(text);
        return b.array();
    }
}
