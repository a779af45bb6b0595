package io.sparkcae.jobs.testing;

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

    /** What a test that needs the real data says when it is missing (CI installs it; a skip would hide it). */
    public static final String INSTALL_HINT = "Fashion-MNIST is not installed at " + SOURCE
            + ": install it with `apt-get install -y dataset-fashion-mnist` (.ci/run does)";

    /** Fails the calling test, naming how to install the data, when Fashion-MNIST is absent. */
    public static void require() {
        if (!Files.isDirectory(SOURCE)) {
            throw new AssertionError(INSTALL_HINT);
        }
    }

    public static Path write(Path dir, int trainCount, int testCount) throws IOException {
        require();
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
