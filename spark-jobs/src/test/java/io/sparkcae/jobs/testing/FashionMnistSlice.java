package io.sparkcae.jobs.testing;

import org.junit.jupiter.api.Assumptions;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.zip.GZIPInputStream;
import java.util.zip.GZIPOutputStream;

/**
 * Small slices of the real Fashion-MNIST (Debian package dataset-fashion-mnist, installed by .ci/run):
 * the first N training and test records re-written as IDX files, so Spark tests run on real images fast.
 */
public final class FashionMnistSlice {
    public static final Path SOURCE = Path.of("/usr/share/datasets/fashion-mnist");

    private FashionMnistSlice() {
    }

    public static Path write(Path dir, int trainCount, int testCount) throws IOException {
        Assumptions.assumeTrue(Files.isDirectory(SOURCE), "Fashion-MNIST not installed (apt-get install dataset-fashion-mnist)");
        Files.createDirectories(dir);
        slice("train-images-idx3-ubyte.gz", dir, 16, 784, trainCount);
        slice("train-labels-idx1-ubyte.gz", dir, 8, 1, trainCount);
        slice("t10k-images-idx3-ubyte.gz", dir, 16, 784, testCount);
        slice("t10k-labels-idx1-ubyte.gz", dir, 8, 1, testCount);
        return dir;
    }

    private static void slice(String name, Path dir, int headerBytes, int recordBytes, int count) throws IOException {
        try (InputStream in = new GZIPInputStream(Files.newInputStream(SOURCE.resolve(name)));
             OutputStream out = new GZIPOutputStream(Files.newOutputStream(dir.resolve(name)))) {
            byte[] header = in.readNBytes(headerBytes);
            ByteBuffer.wrap(header).putInt(4, count);
            out.write(header);
            out.write(in.readNBytes(count * recordBytes));
        }
    }
}
