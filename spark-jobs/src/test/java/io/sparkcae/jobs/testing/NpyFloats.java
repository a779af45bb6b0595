package io.sparkcae.jobs.testing;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Reads a little-endian float32 C-order .npy written by the project, checking its header's shape. */
public final class NpyFloats {
    private NpyFloats() {
    }

    public static float[] read(Path file, int[] expectedShape) throws IOException {
        ByteBuffer b = ByteBuffer.wrap(Files.readAllBytes(file)).order(ByteOrder.LITTLE_ENDIAN);
        assertTrue(b.get(0) == (byte) 0x93 && b.get(1) == 'N', "npy magic");
        int major = b.get(6);
        int headerLen = major == 1 ? Short.toUnsignedInt(b.getShort(8)) : b.getInt(8);
        int start = (major == 1 ? 10 : 12);
        String header = new String(b.array(), start, headerLen, StandardCharsets.US_ASCII);
        assertTrue(header.contains("'<f4'") && header.contains("'fortran_order': False"), header);
        String shape = header.substring(header.indexOf("'shape': (") + 10, header.indexOf(')', header.indexOf("'shape'")));
        int[] dims = java.util.Arrays.stream(shape.split(",")).map(String::trim).filter(x -> !x.isEmpty())
                .mapToInt(Integer::parseInt).toArray();
        assertArrayEquals(expectedShape, dims, header);
        b.position(start + headerLen);
        float[] out = new float[b.remaining() / 4];
        b.asFloatBuffer().get(out);
        return out;
    }
}
