package io.sparkcae.core.files;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.util.zip.CRC32;
import java.util.zip.Deflater;
import java.util.zip.DeflaterOutputStream;

/**
 * Encodes an 8-bit grayscale or RGB PNG one row at a time, so an image of any height is written while only
 * two rows are held (javax.imageio's writer needs the whole raster). Each row gets the filter with the
 * smallest sum of absolute filtered bytes, as libpng's heuristic does; the compressed stream goes out in
 * IDAT chunks of at most {@value #CHUNK} bytes. Rows must come top to bottom.
 */
public final class PngRowEncoder {
    private static final byte[] SIGNATURE = {(byte) 0x89, 'P', 'N', 'G', '\r', '\n', 0x1a, '\n'};
    private static final int CHUNK = 1 << 16;

    private final OutputStream out;
    private final int height;
    private final int bytesPerPixel;
    private final int rowBytes;
    private final DeflaterOutputStream deflated;
    private final Deflater deflater = new Deflater(Deflater.DEFAULT_COMPRESSION);
    private byte[] previous;
    private final byte[][] filtered = new byte[5][];
    private int rows;

    /**
     * Writes the signature and header to {@code out}, which stays open (the caller closes it).
     *
     * @param channels 1 (gray) or 3 (RGB)
     */
    public PngRowEncoder(OutputStream out, int width, int height, int channels) throws IOException {
        if (channels != 1 && channels != 3) {
            throw new IllegalArgumentException("PNG rows take 1 or 3 channels, got " + channels);
        }
        if (width <= 0 || height <= 0) {
            throw new IllegalArgumentException("PNG size must be positive, got " + width + "x" + height);
        }
        this.out = out;
        this.height = height;
        this.bytesPerPixel = channels;
        this.rowBytes = Math.multiplyExact(width, channels);
        this.previous = new byte[rowBytes];
        for (int f = 0; f < filtered.length; f++) {
            filtered[f] = new byte[rowBytes + 1];
            filtered[f][0] = (byte) f;
        }
        out.write(SIGNATURE);
        byte[] ihdr = new byte[13];
        putInt(ihdr, 0, width);
        putInt(ihdr, 4, height);
        ihdr[8] = 8; // bit depth
        ihdr[9] = (byte) (channels == 1 ? 0 : 2); // colour type: gray or truecolour
        // compression 0, filter method 0, no interlace
        chunk(out, "IHDR", ihdr, ihdr.length);
        this.deflated = new DeflaterOutputStream(new IdatChunks(out), deflater, CHUNK);
    }

    /** One row of width x channels samples (R, G, B interleaved for colour). */
    public void row(byte[] samples) throws IOException {
        if (samples.length != rowBytes) {
            throw new IllegalArgumentException("a row holds " + rowBytes + " bytes, got " + samples.length);
        }
        if (rows == height) {
            throw new IllegalStateException("all " + height + " rows were written already");
        }
        deflated.write(bestFilter(samples));
        System.arraycopy(samples, 0, previous, 0, rowBytes);
        rows++;
    }

    /** Ends the image (IEND); every row must have been written. Does not close the underlying stream. */
    public void finish() throws IOException {
        if (rows != height) {
            throw new IllegalStateException("PNG has " + height + " rows, got " + rows);
        }
        deflated.finish();
        deflated.flush(); // the last, short IDAT chunk
        deflater.end();
        chunk(out, "IEND", new byte[0], 0);
        out.flush();
    }

    private byte[] bestFilter(byte[] row) {
        int bpp = bytesPerPixel;
        long bestCost = Long.MAX_VALUE;
        byte[] best = null;
        for (int f = 0; f < filtered.length; f++) {
            byte[] dst = filtered[f];
            long cost = 0;
            for (int i = 0; i < rowBytes; i++) {
                int x = row[i] & 0xff;
                int a = i >= bpp ? row[i - bpp] & 0xff : 0;
                int b = previous[i] & 0xff;
                int c = i >= bpp ? previous[i - bpp] & 0xff : 0;
                int predicted = switch (f) {
                    case 0 -> 0;
                    case 1 -> a;
                    case 2 -> b;
                    case 3 -> (a + b) >>> 1;
                    default -> paeth(a, b, c);
                };
                byte v = (byte) (x - predicted);
                dst[i + 1] = v;
                cost += Math.abs(v);
            }
            if (cost < bestCost) {
                bestCost = cost;
                best = dst;
            }
        }
        return best;
    }

    private static int paeth(int a, int b, int c) {
        int p = a + b - c;
        int pa = Math.abs(p - a);
        int pb = Math.abs(p - b);
        int pc = Math.abs(p - c);
        if (pa <= pb && pa <= pc) {
            return a;
        }
        return pb <= pc ? b : c;
    }

    private static void putInt(byte[] b, int at, int v) {
        b[at] = (byte) (v >>> 24);
        b[at + 1] = (byte) (v >>> 16);
        b[at + 2] = (byte) (v >>> 8);
        b[at + 3] = (byte) v;
    }

    private static void chunk(OutputStream out, String type, byte[] data, int length) throws IOException {
        byte[] head = new byte[8];
        putInt(head, 0, length);
        byte[] name = type.getBytes(StandardCharsets.US_ASCII);
        System.arraycopy(name, 0, head, 4, 4);
        CRC32 crc = new CRC32();
        crc.update(name);
        crc.update(data, 0, length);
        byte[] tail = new byte[4];
        putInt(tail, 0, (int) crc.getValue());
        out.write(head);
        out.write(data, 0, length);
        out.write(tail);
    }

    /** The zlib stream cut into IDAT chunks; flushing at finish emits the short last one. */
    private static final class IdatChunks extends OutputStream {
        private final OutputStream out;
        private final byte[] buffer = new byte[CHUNK];
        private int used;

        IdatChunks(OutputStream out) {
            this.out = out;
        }

        @Override
        public void write(int b) throws IOException {
            if (used == buffer.length) {
                emit();
            }
            buffer[used++] = (byte) b;
        }

        @Override
        public void write(byte[] b, int off, int len) throws IOException {
            while (len > 0) {
                if (used == buffer.length) {
                    emit();
                }
                int n = Math.min(len, buffer.length - used);
                System.arraycopy(b, off, buffer, used, n);
                used += n;
                off += n;
                len -= n;
            }
        }

        @Override
        public void flush() throws IOException {
            if (used > 0) {
                emit();
            }
        }

        private void emit() throws IOException {
            chunk(out, "IDAT", buffer, used);
            used = 0;
        }
    }
}
