package io.sparkcae.prep.readers;

import io.sparkcae.core.error.SparkCaeException;
import org.apache.hadoop.fs.FSDataInputStream;
import org.apache.hadoop.fs.FileStatus;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;

import java.io.FileNotFoundException;
import java.io.IOException;
import java.io.InputStream;
import java.util.zip.GZIPInputStream;

/**
 * One input path resolved through the Hadoop FileSystem API with the reader's {@link StorageConf}, so a
 * reader accepts a local path, a file://, hdfs:// or s3a:// URI alike and sees the Spark session's
 * {@code spark.hadoop.*} settings. Short-lived: readers keep the path as a String and build one of these on
 * the node that reads, because a FileSystem handle must not travel inside a serialized reader.
 */
final class InputFile {

    /** gzip's magic bytes; files are recognised by content because names (".gz") are often wrong. */
    private static final int GZIP_MAGIC_0 = 0x1f;
    private static final int GZIP_MAGIC_1 = 0x8b;
    private static final int BUFFER_BYTES = 1 << 16;

    private final String display;
    private final FileSystem fs;
    private final Path path;

    private InputFile(String display, FileSystem fs, Path path) {
        this.display = display;
        this.fs = fs;
        this.path = path;
    }

    /** Resolves {@code path}; no I/O beyond what the file system needs to set itself up. */
    static InputFile of(String path, StorageConf conf) {
        try {
            Path p = new Path(path);
            return new InputFile(path, p.getFileSystem(conf.get()), p);
        } catch (IOException | IllegalArgumentException e) {
            if (path.indexOf(':') >= 0 && localFileExists(path)) {
                // a local name with ':' reads as a URI scheme to Hadoop; say so instead of "no file system"
                throw SparkCaeException.usage(path + ": ':' in a file name cannot be read through Hadoop file systems;"
                        + " rename the file (e.g. ':' -> '_')");
            }
            throw SparkCaeException.usage(path + ": cannot open input path (" + e.getMessage() + ")");
        }
    }

    private static boolean localFileExists(String path) {
        try {
            return java.nio.file.Files.exists(java.nio.file.Path.of(path));
        } catch (RuntimeException e) {
            return false;
        }
    }

    /**
     * Another file on the same file system, e.g. one found by listing this folder: reuses the resolved file
     * system so a big folder does not look it up once per file.
     *
     * @param display how messages name the file
     */
    InputFile sibling(String path, String display) {
        return new InputFile(display, fs, new Path(path));
    }

    /** The path as the user wrote it, for messages. */
    String display() {
        return display;
    }

    /** Last path component, e.g. train-images-idx3-ubyte.gz. */
    String name() {
        return path.getName();
    }

    FileSystem fileSystem() {
        return fs;
    }

    /** Fully qualified path (scheme and authority), so listings and the root compare as plain strings. */
    Path qualified() {
        return fs.makeQualified(path);
    }

    /** Status of the path; a missing path is a usage error because the user named it. */
    FileStatus status() {
        try {
            return fs.getFileStatus(path);
        } catch (FileNotFoundException e) {
            throw SparkCaeException.usage(display + ": input path does not exist");
        } catch (IOException e) {
            throw SparkCaeException.usage(display + ": input path cannot be read (" + e.getMessage() + ")");
        }
    }

    boolean exists() {
        try {
            return fs.exists(path);
        } catch (IOException e) {
            throw SparkCaeException.usage(display + ": input path cannot be read (" + e.getMessage() + ")");
        }
    }

    /** The file's bytes as stored (compressed if it is). */
    FSDataInputStream openRaw() {
        try {
            return fs.open(path, BUFFER_BYTES);
        } catch (IllegalArgumentException e) {
            if (path.getName().indexOf(':') >= 0) {
                // the local file system's checksum side file (".name.crc") cannot be named: not a corrupt file
                throw SparkCaeException.usage(display + ": ':' in a file name cannot be read through Hadoop file"
                        + " systems; rename the file (e.g. ':' -> '_')");
            }
            throw e;
        } catch (FileNotFoundException e) {
            throw SparkCaeException.usage(display + ": input path does not exist");
        } catch (IOException e) {
            throw SparkCaeException.usage(display + ": input path cannot be read (" + e.getMessage() + ")");
        }
    }

    /** True when the file starts with the gzip magic bytes. */
    boolean isGzip() {
        try (InputStream in = openRaw()) {
            return in.read() == GZIP_MAGIC_0 && in.read() == GZIP_MAGIC_1;
        } catch (IOException e) {
            throw unreadable(e);
        }
    }

    /**
     * The content with gzip undone when the file starts with the gzip magic bytes, positioned at byte 0.
     * Plain files stay seekable; gzip files can only be inflated forward.
     */
    UncompressedInput openUncompressed() {
        FSDataInputStream raw = openRaw();
        try {
            boolean gzip = raw.read() == GZIP_MAGIC_0 && raw.read() == GZIP_MAGIC_1;
            raw.seek(0);
            return gzip ? UncompressedInput.gzip(new GZIPInputStream(raw, BUFFER_BYTES))
                    : UncompressedInput.plain(raw, BUFFER_BYTES);
        } catch (IOException e) {
            closeQuietly(raw);
            throw unreadable(e);
        }
    }

    /** Size as stored; for a gzip file this is the compressed size. */
    long storedLength() {
        return status().getLen();
    }

    SparkCaeException unreadable(IOException e) {
        return SparkCaeException.badData(display + ": cannot read (" + e.getMessage() + ")", e);
    }

    private static void closeQuietly(InputStream in) {
        try {
            in.close();
        } catch (IOException ignored) {
            // the open failed already; that error is the one worth reporting
        }
    }
}
