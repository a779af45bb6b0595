package io.sparkcae.prep.readers;

import io.sparkcae.core.error.SparkCaeException;

import java.io.IOException;
import java.io.Serializable;

/**
 * The header of an IDX file (the MNIST format): a magic number naming the element type and the number of
 * dimensions, then one big-endian int per dimension. Only the two unsigned-byte layouts MNIST uses are
 * accepted, images (N,rows,cols) and labels (N).
 *
 * @param count       number of records (images or labels)
 * @param rows        image rows, 1 for labels
 * @param cols        image columns, 1 for labels
 * @param headerBytes where the payload starts
 */
record IdxHeader(int magic, long count, int rows, int cols, int headerBytes) implements Serializable {

    static final int IMAGES_MAGIC = 0x00000803;
    static final int LABELS_MAGIC = 0x00000801;

    /** Bytes of one record: one image, or one label. */
    long recordBytes() {
        return (long) rows * cols;
    }

    /** Size of a complete file with this header. */
    long expectedBytes() {
        return headerBytes + count * recordBytes();
    }

    boolean isImages() {
        return magic == IMAGES_MAGIC;
    }

    /**
     * The first four (uncompressed) bytes of a file, or -1 when it is shorter. Used to recognise IDX files by
     * content, as their names vary (train-images-idx3-ubyte, t10k-images.idx3-ubyte, ...).
     */
    static int peekMagic(InputFile file) {
        byte[] magic = new byte[4];
        try (UncompressedInput in = file.openUncompressed()) {
            return in.readFully(magic) < 4 ? -1 : bigEndianInt(magic, 0);
        } catch (IOException e) {
            throw file.unreadable(e);
        }
    }

    /** Reads and checks an image file's header: magic 0x803, positive sizes. */
    static IdxHeader readImages(InputFile file) {
        return read(file, IMAGES_MAGIC, "image");
    }

    /** Reads and checks a label file's header: magic 0x801. */
    static IdxHeader readLabels(InputFile file) {
        return read(file, LABELS_MAGIC, "label");
    }

    private static IdxHeader read(InputFile file, int expectedMagic, String kind) {
        int dims = expectedMagic & 0xff;
        byte[] buf = new byte[4 + 4 * dims];
        int got;
        try (UncompressedInput in = file.openUncompressed()) {
            got = in.readFully(buf);
        } catch (IOException e) {
            throw file.unreadable(e);
        }
        if (got < 4 || bigEndianInt(buf, 0) != expectedMagic) {
            String found = got < 4 ? "missing (file has " + got + " bytes)" : hex(bigEndianInt(buf, 0));
            throw SparkCaeException.badData(file.display() + ": not an IDX " + kind + " file: magic " + found
                    + " (expected " + hex(expectedMagic) + ")");
        }
        if (got < buf.length) {
            throw SparkCaeException.badData(file.display() + ": truncated: the IDX header needs " + buf.length
                    + " bytes but the file ends after " + got + " bytes");
        }
        long count = Integer.toUnsignedLong(bigEndianInt(buf, 4));
        int rows = dims == 3 ? bigEndianInt(buf, 8) : 1;
        int cols = dims == 3 ? bigEndianInt(buf, 12) : 1;
        // Sizes near 2^31 would overflow the per-image float[]; no real image file comes close.
        if (rows <= 0 || cols <= 0 || (long) rows * cols > Integer.MAX_VALUE / 4) {
            throw SparkCaeException.badData(file.display() + ": IDX header gives an impossible image size "
                    + rows + "x" + cols);
        }
        return new IdxHeader(expectedMagic, count, rows, cols, buf.length);
    }

    /**
     * The message for a file that ends before its header says it should, with both sizes so the user can
     * tell a partial download (much shorter) from a wrong header.
     */
    String truncatedMessage(String display, long actualBytes) {
        String what = isImages() ? count + " images of " + rows + "x" + cols : count + " labels";
        return display + ": truncated: header promises " + what + " (" + expectedBytes()
                + " bytes) but the file ends after " + actualBytes + " bytes";
    }

    static String hex(int value) {
        return String.format("0x%08x", value);
    }

    private static int bigEndianInt(byte[] b, int off) {
        return (b[off] & 0xff) << 24 | (b[off + 1] & 0xff) << 16 | (b[off + 2] & 0xff) << 8 | (b[off + 3] & 0xff);
    }
}
