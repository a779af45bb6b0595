package io.sparkcae.prep.readers;

import io.sparkcae.core.error.SparkCaeException;
import org.apache.hadoop.fs.FSDataInputStream;

import java.io.Closeable;
import java.io.IOException;
import java.net.URI;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.FileChannel;
import java.nio.file.Paths;
import java.nio.file.StandardOpenOption;

/**
 * Byte ranges of one file, served from a window that slides forward as the reads do. Local files are
 * memory-mapped, so a task reading a few time steps of a large series touches only those pages; other
 * file systems (hdfs://, ...) fill a heap buffer with positioned reads. Both keep the window because
 * gathering a Fortran-order step makes many small reads at increasing offsets.
 */
abstract class FileWindow implements Closeable {

    /** Mapped windows cost address space only; 256 MiB keeps remaps rare without pinning memory. */
    private static final long MAPPED_WINDOW = 256L << 20;
    /** Heap windows cost memory: a few MiB already makes the per-read overhead negligible. */
    private static final long HEAP_WINDOW = 8L << 20;

    private final String display;
    private final long fileLength;
    private final ByteOrder order;
    private ByteBuffer window;
    private long windowStart;

    private FileWindow(String display, long fileLength, ByteOrder order) {
        this.display = display;
        this.fileLength = fileLength;
        this.order = order;
    }

    /** Opens {@code file}; buffers it returns use {@code order} for multi-byte values. */
    static FileWindow open(InputFile file, ByteOrder order) {
        URI uri = file.qualified().toUri();
        try {
            if ("file".equals(uri.getScheme())) {
                FileChannel channel = FileChannel.open(Paths.get(uri), StandardOpenOption.READ);
                return new Mapped(file.display(), channel, order);
            }
            FSDataInputStream in = file.openRaw();
            return new Positioned(file.display(), file.storedLength(), in, order);
        } catch (IOException e) {
            throw file.unreadable(e);
        }
    }

    /**
     * {@code length} bytes from {@code offset}, as a buffer positioned at 0 with the window's byte order.
     * Valid until the next call.
     */
    ByteBuffer read(long offset, int length) {
        if (offset < 0 || offset + length > fileLength) {
            // The header check passed at planning time, so the file changed since: say so rather than crash.
            throw SparkCaeException.badData(display + ": truncated: needs bytes up to " + (offset + length)
                    + ", file has " + fileLength);
        }
        if (window == null || offset < windowStart || offset + length > windowStart + window.capacity()) {
            long size = Math.min(Math.max(length, preferredWindow()), fileLength - offset);
            try {
                window = load(offset, (int) size).order(order);
            } catch (IOException e) {
                throw SparkCaeException.badData(display + ": cannot read (" + e.getMessage() + ")", e);
            }
            windowStart = offset;
        }
        return window.slice((int) (offset - windowStart), length).order(order);
    }

    abstract long preferredWindow();

    abstract ByteBuffer load(long offset, int size) throws IOException;

    /** A local file, mapped read-only window by window. */
    private static final class Mapped extends FileWindow {
        private final FileChannel channel;

        Mapped(String display, FileChannel channel, ByteOrder order) throws IOException {
            super(display, channel.size(), order);
            this.channel = channel;
        }

        @Override
        long preferredWindow() {
            return MAPPED_WINDOW;
        }

        @Override
        ByteBuffer load(long offset, int size) throws IOException {
            return channel.map(FileChannel.MapMode.READ_ONLY, offset, size);
        }

        /** The mapping outlives the channel until it is garbage collected; closing only frees the descriptor. */
        @Override
        public void close() throws IOException {
            channel.close();
        }
    }

    /** Any Hadoop file system: positioned reads into a heap buffer. */
    private static final class Positioned extends FileWindow {
        private final FSDataInputStream in;

        Positioned(String display, long length, FSDataInputStream in, ByteOrder order) {
            super(display, length, order);
            this.in = in;
        }

        @Override
        long preferredWindow() {
            return HEAP_WINDOW;
        }

        @Override
        ByteBuffer load(long offset, int size) throws IOException {
            byte[] bytes = new byte[size];
            in.readFully(offset, bytes);
            return ByteBuffer.wrap(bytes);
        }

        @Override
        public void close() throws IOException {
            in.close();
        }
    }
}
