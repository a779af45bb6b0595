package io.sparkcae.prep.readers;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Writes .npy fixtures byte by byte as numpy lays them out, independently of the reader: any header
 * version, any of the numeric dtypes, C or Fortran order. Values are given in logical C order.
 */
final class NpyFixtureWriter {

    private NpyFixtureWriter() {
    }

    /** A value that differs for every element and every step: easy to check after a transpose. */
    static double value(long flatCIndex) {
        return (flatCIndex * 7 % 101) - 50 + flatCIndex * 0.25;
    }

    static double[] values(long[] shape) {
        double[] v = new double[(int) count(shape)];
        for (int i = 0; i < v.length; i++) {
            v[i] = value(i);
        }
        return v;
    }

    static long count(long[] shape) {
        long n = 1;
        for (long d : shape) {
            n *= d;
        }
        return n;
    }

    /** Writes a C-order little-endian float32 version 1.0 file of {@link #values}. */
    static Path f4(Path file, long... shape) {
        return write(file, 1, "<f4", false, shape, values(shape));
    }

    /**
     * @param version 1, 2 or 3
     * @param descr   the dtype string, e.g. "&gt;i4"; decides how values are encoded
     * @param fortran write the values first-axis-fastest and say so in the header
     */
    static Path write(Path file, int version, String descr, boolean fortran, long[] shape, double[] values) {
        byte[] header = header(version, "{'descr': '" + descr + "', 'fortran_order': " + (fortran ? "True" : "False")
                + ", 'shape': " + tuple(shape) + ", }");
        byte[] data = encode(descr, fortran ? toFortran(shape, values) : values);
        return bytes(file, concat(header, data));
    }

    static String tuple(long[] shape) {
        StringBuilder b = new StringBuilder("(");
        for (int i = 0; i < shape.length; i++) {
            b.append(i == 0 ? "" : ", ").append(shape[i]);
        }
        return b.append(shape.length == 1 ? ",)" : ")").toString();
    }

    /** Magic, version, header length (2 bytes in 1.0, 4 later), dict padded to a 64-byte boundary. */
    static byte[] header(int version, String dict) {
        int prefix = version == 1 ? 10 : 12;
        byte[] text = dict.getBytes(version == 3 ? StandardCharsets.UTF_8 : StandardCharsets.ISO_8859_1);
        int unpadded = prefix + text.length + 1;
        int total = (unpadded + 63) / 64 * 64;
        ByteBuffer b = ByteBuffer.allocate(total).order(ByteOrder.LITTLE_ENDIAN);
        b.put(new byte[]{(byte) 0x93, 'N', 'U', 'M', 'P', 'Y', (byte) version, 0});
        if (version == 1) {
            b.putShort((short) (total - prefix));
        } else {
            b.putInt(total - prefix);
        }
        b.put(text);
        while (b.position() < total - 1) {
            b.put((byte) ' ');
        }
        b.put((byte) '\n');
        return b.array();
    }

    /** Reorders C-order values so the first axis varies fastest. */
    static double[] toFortran(long[] shape, double[] c) {
        double[] f = new double[c.length];
        int rank = shape.length;
        int[] idx = new int[rank];
        for (int i = 0; i < c.length; i++) {
            // i is the C index of idx; its Fortran index puts axis 0 fastest
            long fi = 0;
            for (int a = rank - 1; a >= 0; a--) {
                fi = fi * shape[a] + idx[a];
            }
            f[(int) fi] = c[i];
            for (int a = rank - 1; a >= 0; a--) {
                if (++idx[a] < shape[a]) {
                    break;
                }
                idx[a] = 0;
            }
        }
        return f;
    }

    static byte[] encode(String descr, double[] values) {
        ByteOrder order = descr.charAt(0) == '>' ? ByteOrder.BIG_ENDIAN : ByteOrder.LITTLE_ENDIAN;
        String code = descr.substring(1);
        int size = Integer.parseInt(code.substring(1));
        ByteBuffer b = ByteBuffer.allocate(values.length * size).order(order);
        for (double v : values) {
            switch (code) {
                case "f4" -> b.putFloat((float) v);
                case "f8" -> b.putDouble(v);
                case "i1", "u1" -> b.put((byte) (long) v);
                case "i2", "u2" -> b.putShort((short) (long) v);
                case "i4", "u4" -> b.putInt((int) (long) v);
                case "i8", "u8" -> b.putLong((long) v);
                default -> b.put(new byte[size]);
            }
        }
        return b.array();
    }

    static byte[] concat(byte[] a, byte[] b) {
        byte[] out = new byte[a.length + b.length];
        System.arraycopy(a, 0, out, 0, a.length);
        System.arraycopy(b, 0, out, a.length, b.length);
        return out;
    }

    static Path bytes(Path file, byte[] content) {
        try {
            Files.createDirectories(file.getParent());
            return Files.write(file, content);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
