package io.sparkcae.prep.reassembly;

import io.sparkcae.core.tensor.PatchShape;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;

/**
 * Streams a 2D single-channel sample (1, H, W) into a baseline TIFF of 32-bit IEEE floats (SampleFormat 3,
 * uncompressed, little-endian), row by row: the header comes first, the rows follow as strips, and the one IFD
 * with the strip table goes last, so no raster is ever held. Values are kept as they are, NaN included. Classic
 * TIFF addresses 4 GiB; a larger image is refused (npy holds any size).
 */
public final class TiffStripWriter implements SliceSink {
    private static final int HEADER = 8;
    private static final int STRIP_BYTES = 1 << 16;
    private static final short SHORT = 3;
    private static final short LONG = 4;

    private final FileChannel file;
    private final int width;
    private final int height;
    private final int rowsPerStrip;
    private final ByteBuffer row;
    private int written;

    public TiffStripWriter(Path path, PatchShape shape) throws IOException {
        if (shape.spatialRank() != 2 || shape.channels() != 1) {
            throw new IllegalArgumentException("grayscale TIFF takes (1, H, W), got " + shape);
        }
        this.width = shape.spatial(1);
        this.height = shape.spatial(0);
        long dataBytes = (long) width * height * Float.BYTES;
        if (HEADER + dataBytes + ifdBytes(height) > 0xFFFF_FFFFL) {
            throw new IllegalArgumentException(shape + " is too large for a classic TIFF (4 GiB); write npy");
        }
        this.rowsPerStrip = Math.max(1, Math.min(height, STRIP_BYTES / (width * Float.BYTES)));
        this.row = ByteBuffer.allocate(width * Float.BYTES).order(ByteOrder.LITTLE_ENDIAN);
        this.file = FileChannel.open(path, StandardOpenOption.CREATE, StandardOpenOption.WRITE,
                StandardOpenOption.TRUNCATE_EXISTING);
        ByteBuffer header = ByteBuffer.allocate(HEADER).order(ByteOrder.LITTLE_ENDIAN);
        header.put((byte) 'I').put((byte) 'I').putShort((short) 42).putInt((int) (HEADER + dataBytes));
        writeFully(header.flip(), 0);
    }

    /** Upper bound of the IFD and its strip tables: 11 entries and two tables of one LONG per strip (or row). */
    private static long ifdBytes(int height) {
        return 2 + 11 * 12 + 4 + 2L * height * 4;
    }

    @Override
    public void slice(int index, float[] values) throws IOException {
        if (index != written) {
            throw new IllegalStateException("row " + index + " given, expected " + written);
        }
        row.clear();
        row.asFloatBuffer().put(values, 0, width);
        row.limit(width * Float.BYTES);
        writeFully(row, HEADER + (long) index * width * Float.BYTES);
        written++;
    }

    @Override
    public void finish() throws IOException {
        if (written != height) {
            throw new IllegalStateException("TIFF needs " + height + " rows, got " + written);
        }
        long rowBytes = (long) width * Float.BYTES;
        int strips = (height + rowsPerStrip - 1) / rowsPerStrip;
        long ifdAt = HEADER + rowBytes * height;
        int entries = 11;
        long tablesAt = ifdAt + 2 + entries * 12L + 4;
        ByteBuffer ifd = ByteBuffer.allocate((int) (2 + entries * 12 + 4 + 2L * strips * 4)).order(ByteOrder.LITTLE_ENDIAN);
        ifd.putShort((short) entries);
        entry(ifd, 256, LONG, 1, width);             // ImageWidth
        entry(ifd, 257, LONG, 1, height);            // ImageLength
        entry(ifd, 258, SHORT, 1, 32);               // BitsPerSample
        entry(ifd, 259, SHORT, 1, 1);                // Compression: none
        entry(ifd, 262, SHORT, 1, 1);                // PhotometricInterpretation: BlackIsZero
        entry(ifd, 273, LONG, strips, strips == 1 ? HEADER : tablesAt); // StripOffsets
        entry(ifd, 277, SHORT, 1, 1);                // SamplesPerPixel
        entry(ifd, 278, LONG, 1, rowsPerStrip);      // RowsPerStrip
        long lastStrip = (height - (long) (strips - 1) * rowsPerStrip) * rowBytes;
        entry(ifd, 279, LONG, strips, strips == 1 ? lastStrip : tablesAt + 4L * strips); // StripByteCounts
        entry(ifd, 284, SHORT, 1, 1);                // PlanarConfiguration: chunky
        entry(ifd, 339, SHORT, 1, 3);                // SampleFormat: IEEE float
        ifd.putInt(0);                               // no further IFD
        if (strips > 1) {
            for (int s = 0; s < strips; s++) {
                ifd.putInt((int) (HEADER + (long) s * rowsPerStrip * rowBytes));
            }
            for (int s = 0; s < strips; s++) {
                ifd.putInt((int) (s == strips - 1 ? lastStrip : rowsPerStrip * rowBytes));
            }
        }
        writeFully(ifd.flip(), ifdAt);
        file.force(false);
    }

    /** One 12-byte IFD entry; a single SHORT value sits left-justified in the value field. */
    private static void entry(ByteBuffer ifd, int tag, short type, int count, long value) {
        ifd.putShort((short) tag).putShort(type).putInt(count);
        if (type == SHORT && count == 1) {
            ifd.putShort((short) value).putShort((short) 0);
        } else {
            ifd.putInt((int) value);
        }
    }

    @Override
    public void close() throws IOException {
        file.close();
    }

    private void writeFully(ByteBuffer b, long at) throws IOException {
        while (b.hasRemaining()) {
            at += file.write(b, at);
        }
    }
}
