package io.sparkcae.prep.readers;

import org.apache.hadoop.fs.FSDataInputStream;

import java.io.BufferedInputStream;
import java.io.Closeable;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;

/**
 * The uncompressed bytes of a file, read forward, counting how far it got. The count is what lets a reader
 * say where a truncated file ends, which matters most for gzip files whose real length is only known by
 * inflating them.
 */
final class UncompressedInput implements Closeable {

    private final FSDataInputStream seekable;
    private InputStream in;
    private final int bufferBytes;
    private long position;

    private UncompressedInput(FSDataInputStream seekable, InputStream in, int bufferBytes) {
        this.seekable = seekable;
        this.in = in;
        this.bufferBytes = bufferBytes;
    }

    static UncompressedInput plain(FSDataInputStream raw, int bufferBytes) {
        return new UncompressedInput(raw, new BufferedInputStream(raw, bufferBytes), bufferBytes);
    }

    static UncompressedInput gzip(InputStream inflating) {
        return new UncompressedInput(null, inflating, 0);
    }

    /** Bytes consumed so far, in uncompressed terms. */
    long position() {
        return position;
    }

    /**
     * Moves forward to {@code target}. Plain files seek; gzip files inflate and discard.
     *
     * @throws EOFException when the content ends first; {@link #position()} then says where
     */
    void skipTo(long target) throws IOException {
        if (target < position) {
            throw new IllegalArgumentException("cannot move back from " + position + " to " + target);
        }
        if (seekable != null) {
            // Dropping the buffer is safe: nothing read ahead is needed once we jump past it.
            seekable.seek(target);
            in = new BufferedInputStream(seekable, bufferBytes);
            position = target;
            return;
        }
        byte[] scratch = new byte[8192];
        while (position < target) {
            int n = readSome(scratch, 0, (int) Math.min(scratch.length, target - position));
            if (n < 0) {
                throw new EOFException("content ends at byte " + position);
            }
        }
    }

    /**
     * Fills {@code buf} unless the content ends first.
     *
     * @return the number of bytes read: {@code buf.length}, or less at the end of the content
     */
    int readFully(byte[] buf) throws IOException {
        int filled = 0;
        while (filled < buf.length) {
            int n = readSome(buf, filled, buf.length - filled);
            if (n < 0) {
                break;
            }
            filled += n;
        }
        return filled;
    }

    /** A gzip stream cut short reports EOFException instead of -1; both mean the content ended here. */
    private int readSome(byte[] buf, int off, int len) throws IOException {
        int n;
        try {
            n = in.read(buf, off, len);
        } catch (EOFException cutShort) {
            return -1;
        }
        if (n > 0) {
            position += n;
        }
        return n;
    }

    @Override
    public void close() throws IOException {
        in.close();
    }
}
