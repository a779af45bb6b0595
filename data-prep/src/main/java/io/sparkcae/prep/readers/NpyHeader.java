package io.sparkcae.prep.readers;

import io.sparkcae.core.error.SparkCaeException;

import java.io.IOException;
import java.io.InputStream;
import java.io.Serializable;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The header of a .npy file (numpy's format, versions 1.0, 2.0 and 3.0): magic "\x93NUMPY", version, header
 * length (2 bytes in 1.0, 4 bytes later), then a Python dict literal giving dtype, memory order and shape.
 *
 * @param descr        the dtype as written, e.g. "<f4", for messages
 * @param type         the element type it names
 * @param bigEndian    byte order of multi-byte elements
 * @param fortranOrder whether the first axis varies fastest in the file
 * @param shape        the array shape
 * @param dataOffset   where the values start
 */
record NpyHeader(String descr, ElementType type, boolean bigEndian, boolean fortranOrder, long[] shape,
                 long dataOffset) implements Serializable {

    private static final byte[] MAGIC = {(byte) 0x93, 'N', 'U', 'M', 'P', 'Y'};
    /** Generous bound: numpy pads headers to 64 bytes and real ones stay under a few hundred bytes. */
    private static final int MAX_HEADER_BYTES = 1 << 20;

    /*
     * The dict is what numpy's repr writes ("{'descr': '<f4', 'fortran_order': False, 'shape': (2, 3), }").
     * Matching the three keys is enough: numpy refuses headers with other keys, and a full Python parser
     * would only add ways to fail.
     */
    private static final Pattern DESCR = Pattern.compile("['\"]descr['\"]\\s*:\\s*(?:'([^']*)'|\"([^\"]*)\"|(\\[.*\\]))",
            Pattern.DOTALL);
    private static final Pattern FORTRAN = Pattern.compile("['\"]fortran_order['\"]\\s*:\\s*(True|False)");
    private static final Pattern SHAPE = Pattern.compile("['\"]shape['\"]\\s*:\\s*\\(([^)]*)\\)");

    ByteOrder byteOrder() {
        return bigEndian ? ByteOrder.BIG_ENDIAN : ByteOrder.LITTLE_ENDIAN;
    }

    /** Bytes of all values, as the shape and dtype say. */
    long dataBytes() {
        long n = type.bytes();
        for (long d : shape) {
            n = Math.multiplyExact(n, d);
        }
        return n;
    }

    /** The shape as numpy prints it, e.g. "(2, 3, 4)". */
    String shapeText() {
        StringBuilder b = new StringBuilder("(");
        for (int i = 0; i < shape.length; i++) {
            b.append(i == 0 ? "" : ", ").append(shape[i]);
        }
        return b.append(shape.length == 1 ? ",)" : ")").toString();
    }

    /**
     * Reads and checks the header of {@code file}, including that the file holds all the data the header
     * promises (so a partial download fails on the driver, before any task starts).
     */
    static NpyHeader read(InputFile file) {
        long length = file.storedLength();
        byte[] prefix = new byte[12];
        byte[] dict;
        int headerStart;
        try (InputStream in = file.openRaw()) {
            int got = in.readNBytes(prefix, 0, prefix.length);
            if (got < 10 || !Arrays.equals(Arrays.copyOf(prefix, 6), MAGIC)) {
                throw SparkCaeException.badData(file.display() + ": not an NPY file: it does not start with the magic "
                        + "\\x93NUMPY" + (got < 10 ? " (file has " + got + " bytes)" : ""));
            }
            int major = prefix[6] & 0xff;
            int minor = prefix[7] & 0xff;
            if (major < 1 || major > 3 || minor != 0) {
                throw SparkCaeException.badData(file.display() + ": unsupported NPY format version " + major + "."
                        + minor + " (supported: 1.0, 2.0, 3.0)");
            }
            headerStart = major == 1 ? 10 : 12;
            long dictBytes = major == 1 ? (prefix[8] & 0xff) | (prefix[9] & 0xff) << 8
                    : (prefix[8] & 0xffL) | (prefix[9] & 0xffL) << 8 | (prefix[10] & 0xffL) << 16
                    | (prefix[11] & 0xffL) << 24;
            if (got < headerStart || dictBytes > MAX_HEADER_BYTES || headerStart + dictBytes > length) {
                throw SparkCaeException.badData(file.display() + ": truncated: the NPY header needs "
                        + (headerStart + dictBytes) + " bytes, file has " + length);
            }
            dict = new byte[(int) dictBytes];
            System.arraycopy(prefix, headerStart, dict, 0, Math.min(prefix.length - headerStart, dict.length));
            int have = prefix.length - headerStart;
            if (have < dict.length && in.readNBytes(dict, have, dict.length - have) < dict.length - have) {
                throw SparkCaeException.badData(file.display() + ": truncated inside the NPY header");
            }
            // Version 3.0 exists only to allow utf-8 field names; 1.0 and 2.0 are latin-1.
            String text = new String(dict, major == 3 ? StandardCharsets.UTF_8 : StandardCharsets.ISO_8859_1);
            NpyHeader header = parse(file.display(), text, headerStart + dict.length);
            checkLength(file.display(), header, length);
            return header;
        } catch (IOException e) {
            throw file.unreadable(e);
        }
    }

    /** Parses the dict literal; {@code dataOffset} is where the values start. */
    static NpyHeader parse(String display, String dict, long dataOffset) {
        Matcher descr = DESCR.matcher(dict);
        Matcher fortran = FORTRAN.matcher(dict);
        Matcher shape = SHAPE.matcher(dict);
        if (!descr.find() || !fortran.find() || !shape.find()) {
            throw SparkCaeException.badData(display + ": NPY header is not a dict with 'descr', 'fortran_order' "
                    + "and 'shape': " + dict.strip());
        }
        String dtype = descr.group(1) != null ? descr.group(1) : descr.group(2) != null ? descr.group(2)
                : descr.group(3);
        ElementType type = elementType(display, dtype);
        boolean big = dtype.charAt(0) == '>' || dtype.charAt(0) == '=' && ByteOrder.nativeOrder() == ByteOrder.BIG_ENDIAN;
        return new NpyHeader(dtype, type, big, fortran.group(1).equals("True"), parseShape(display, shape.group(1)),
                dataOffset);
    }

    private static long[] parseShape(String display, String tuple) {
        String[] parts = tuple.split(",");
        int n = parts.length;
        // "(5,)" splits into ["5", ""]: a trailing comma is Python's one-element tuple, not an axis
        while (n > 0 && parts[n - 1].isBlank()) {
            n--;
        }
        long[] shape = new long[n];
        for (int i = 0; i < n; i++) {
            try {
                shape[i] = Long.parseLong(parts[i].strip().replaceAll("L$", ""));
            } catch (NumberFormatException e) {
                throw SparkCaeException.badData(display + ": NPY header has an invalid shape (" + tuple + ")");
            }
        }
        return shape;
    }

    /** Maps a dtype string like "<f4" or "|u1"; anything else is named in the error with its kind. */
    private static ElementType elementType(String display, String dtype) {
        ElementType type = null;
        if (dtype.length() >= 3 && "<>|=".indexOf(dtype.charAt(0)) >= 0) {
            type = switch (dtype.substring(1)) {
                case "f4" -> ElementType.FLOAT32;
                case "f8" -> ElementType.FLOAT64;
                case "i1" -> ElementType.INT8;
                case "u1" -> ElementType.UINT8;
                case "i2" -> ElementType.INT16;
                case "u2" -> ElementType.UINT16;
                case "i4" -> ElementType.INT32;
                case "u4" -> ElementType.UINT32;
                case "i8" -> ElementType.INT64;
                case "u8" -> ElementType.UINT64;
                default -> null;
            };
            // '|' means "byte order does not apply", which numpy only writes for one-byte types
            if (type != null && dtype.charAt(0) == '|' && type.bytes() > 1) {
                type = null;
            }
        }
        if (type == null) {
            throw SparkCaeException.badData(display + ": unsupported NPY dtype '" + dtype + "'" + kindOf(dtype)
                    + "; supported: float32, float64 and (u)int8/16/32/64 in either byte order");
        }
        return type;
    }

    private static String kindOf(String dtype) {
        if (dtype.startsWith("[")) {
            return " (structured)";
        }
        char kind = dtype.length() >= 2 && "<>|=".indexOf(dtype.charAt(0)) >= 0 ? dtype.charAt(1)
                : dtype.isEmpty() ? '?' : dtype.charAt(0);
        return switch (kind) {
            case 'c' -> " (complex)";
            case 'O' -> " (object)";
            case 'U', 'S', 'a' -> " (string)";
            case 'b', '?' -> " (bool)";
            case 'M', 'm' -> " (datetime)";
            case 'V' -> " (void)";
            case 'f' -> " (float of this width)";
            default -> "";
        };
    }

    private static void checkLength(String display, NpyHeader header, long fileLength) {
        long needed = header.dataBytes();
        long available = fileLength - header.dataOffset();
        if (available < needed) {
            throw SparkCaeException.badData(display + ": truncated: header shape " + header.shapeText() + " of "
                    + header.descr() + " needs " + needed + " bytes of data, file has " + available);
        }
    }
}
