package io.sparkcae.prep.reassembly;

import io.sparkcae.core.tensor.PatchShape;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;

/**
 * Streams a sample into an {@code .npy} file ({@link NpyWriter}'s format) slice by slice. The file is
 * channel-major (C, [D,] H, W) while slices hold every channel, so each channel's part of a slice is written at
 * its own offset of the file: memory stays at one slice however many channels there are.
 */
public final class NpySliceWriter implements SliceSink {
    private final FileChannel file;
    private final long dataStart;
    private final int channels;
    private final int slices;
    private final int sliceLen;
    private final ByteBuffer buffer;
    private int written;

    public NpySliceWriter(Path path, PatchShape shape) throws IOException {
        byte[] header = NpyWriter.header(shape);
        this.channels = shape.channels();
        this.slices = shape.spatial(0);
        this.sliceLen = shape.elementCount() / channels / slices;
        this.buffer = ByteBuffer.allocate(sliceLen * Float.BYTES).order(ByteOrder.LITTLE_ENDIAN);
        this.file = FileChannel.open(path, StandardOpenOption.CREATE, StandardOpenOption.WRITE,
                StandardOpenOption.TRUNCATE_EXISTING);
        this.dataStart = header.length;
        writeFully(ByteBuffer.wrap(header), 0);
    }

    @Override
    public void slice(int index, float[] values) throws IOException {
        if (index != written) {
            throw new IllegalStateException("slice " + index + " given, expected " + written);
        }
        for (int c = 0; c < channels; c++) {
            buffer.clear();
            buffer.asFloatBuffer().put(values, c * sliceLen, sliceLen);
            buffer.limit(sliceLen * Float.BYTES);
            long at = dataStart + ((long) c * slices + index) * sliceLen * Float.BYTES;
            writeFully(buffer, at);
        }
        written++;
    }

    @Override
    public void finish() throws IOException {
        if (written != slices) {
            throw new IllegalStateException("npy needs " + slices + " slices, got " + written);
        }
        file.force(false);
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
