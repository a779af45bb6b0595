package io.sparkcae.prep.readers;

import java.io.ByteArrayOutputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.zip.GZIPOutputStream;

/** Writes small IDX files for tests, so no test depends on a downloaded data set. */
final class IdxFileWriter {

    private IdxFileWriter() {
    }

    /** Pixel {@code p} of image {@code i}: covers 0 and 255 and differs between images and positions. */
    static int pixel(int i, int p) {
        return (i * 37 + p * 11) % 256;
    }

    /** Label of image {@code i}. */
    static int label(int i) {
        return (i * 3) % 10;
    }

    /** Header plus {@code count} images of rows x cols filled by {@link #pixel}. */
    static byte[] images(int count, int rows, int cols) {
        return images(count, count, rows, cols);
    }

    /** An image file whose header promises {@code promised} images but that holds {@code written}. */
    static byte[] images(int promised, int written, int rows, int cols) {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (DataOutputStream out = new DataOutputStream(bytes)) {
            out.writeInt(IdxHeader.IMAGES_MAGIC);
            out.writeInt(promised);
            out.writeInt(rows);
            out.writeInt(cols);
            for (int i = 0; i < written; i++) {
                for (int p = 0; p < rows * cols; p++) {
                    out.writeByte(pixel(i, p));
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return bytes.toByteArray();
    }

    /** Header plus {@code count} labels from {@link #label}. */
    static byte[] labels(int count) {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (DataOutputStream out = new DataOutputStream(bytes)) {
            out.writeInt(IdxHeader.LABELS_MAGIC);
            out.writeInt(count);
            for (int i = 0; i < count; i++) {
                out.writeByte(label(i));
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return bytes.toByteArray();
    }

    static byte[] gzip(byte[] content) {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (GZIPOutputStream out = new GZIPOutputStream(bytes)) {
            out.write(content);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return bytes.toByteArray();
    }

    static byte[] firstBytes(byte[] content, int n) {
        return Arrays.copyOf(content, n);
    }

    static Path write(Path file, byte[] content) {
        try {
            Files.createDirectories(file.getParent());
            return Files.write(file, content);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
