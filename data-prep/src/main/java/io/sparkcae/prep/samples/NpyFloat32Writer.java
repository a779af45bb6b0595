package io.sparkcae.prep.samples;

import java.io.BufferedOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/**
 * Writes a float32 array as a version 1.0 .npy file (little-endian, C order), the variant every numpy
 * since 1.0 loads. Rows are streamed, so a long series never needs one big buffer.
 */
public final class NpyFloat32Writer {

    private NpyFloat32Writer() {
    }

    /**
     * @param shape the array shape; {@code blocks} hold its values in C order, split along the first axis
     *              (e.g. one block per time step)
     */
    public static void write(Path file, long[] shape, List<float[]> blocks) throws IOException {
        long total = 1;
        for (long d : shape) {
            total *= d;
        }
        long given = blocks.stream().mapToLong(b -> b.length).sum();
        if (given != total) {
            throw new IllegalArgumentException("blocks hold " + given + " values, shape needs " + total);
        }
        try (OutputStream out = new BufferedOutputStream(Files.newOutputStream(file), 1 << 16)) {
            out.write(header(shape));
            for (float[] block : blocks) {
                ByteBuffer bytes = ByteBuffer.allocate(block.length * 4).order(ByteOrder.LITTLE_ENDIAN);
                bytes.asFloatBuffer().put(block);
                out.write(bytes.array());
            }
        }
    }

    /**
     * Magic, version 1.0, header length, then the dict padded with spaces and ended by a newline so the data
     * starts at a multiple of 64 bytes, as numpy itself aligns it (memory maps then align too).
     */
    static byte[] header(long[] shape) {
        StringBuilder dims = new StringBuilder();
        for (int i = 0; i < shape.length; i++) {
            dims.append(i == 0 ? "" : ", ").append(shape[i]);
        }
        if (shape.length == 1) {
            dims.append(',');
        }
        String dict = "{'descr': '<f4', 'fortran_order': False, 'shape': (" + dims + "), }";
        int unpadded = 10 + dict.length() + 1;
        int padded = (unpadded + 63) / 64 * 64;
        String text = dict + " ".repeat(padded - unpadded) + "\n";
        int dictBytes = text.length();
        if (dictBytes > 0xffff) {
            throw new IllegalArgumentException("shape too long for an NPY 1.0 header");
        }
        ByteBuffer header = ByteBuffer.allocate(10 + dictBytes).order(ByteOrder.LITTLE_ENDIAN);
        header.put(new byte[]{(byte) 0x93, 'N', 'U', 'M', 'P', 'Y', 1, 0});
        header.putShort((short) dictBytes);
        header.put(text.getBytes(StandardCharsets.ISO_8859_1));
        return header.array();
    }
}
