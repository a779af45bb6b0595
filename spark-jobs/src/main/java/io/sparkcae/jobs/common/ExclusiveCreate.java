package io.sparkcae.jobs.common;

import org.apache.hadoop.fs.FSDataInputStream;
import org.apache.hadoop.fs.FSDataOutputStream;
import org.apache.hadoop.fs.FileAlreadyExistsException;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.LocalFileSystem;
import org.apache.hadoop.fs.Path;
import org.apache.hadoop.fs.RawLocalFileSystem;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.StandardOpenOption;
import java.util.Arrays;
import java.util.Set;
import java.util.UUID;

/**
 * Creates a small file only if no file of that name exists, in one atomic step where the file system has
 * one, so that of two writers racing for the same name exactly one wins. The file appears whole or not at
 * all: readers never see it half-written.
 * <ul>
 *   <li>local disks: the content goes to a temporary file that is hard-linked to the name ({@code link(2)}
 *       fails when the name exists); Hadoop's own local {@code create(path, false)} checks, then writes, and
 *       would let both writers win;</li>
 *   <li>HDFS: written to a temporary file, then renamed; HDFS refuses to rename onto an existing file, in one
 *       NameNode operation;</li>
 *   <li>GCS and ABFS: their connectors make {@code create(path, false)} a conditional write;</li>
 *   <li>S3A: one PUT with {@code If-None-Match: *} ({@link S3ConditionalCreate}); the store decides. Hadoop
 *       3.3's own {@code create(path, false)} checks, then writes, and would let both writers win; it is used
 *       only where the conditional PUT is turned off for a store that refuses it, and {@link #isAtomic} then
 *       says so.</li>
 * </ul>
 */
public final class ExclusiveCreate {
    private static final Set<String> RENAME_REFUSES_EXISTING = Set.of("hdfs", "viewfs", "webhdfs", "swebhdfs");
    private static final Set<String> CONDITIONAL_CREATE = Set.of("gs", "abfs", "abfss");

    private ExclusiveCreate() {
    }

    /** True when {@link #create} lets exactly one of several concurrent writers win on this file system. */
    public static boolean isAtomic(FileSystem fs) {
        String scheme = fs.getUri().getScheme();
        return local(fs) != null || RENAME_REFUSES_EXISTING.contains(scheme) || CONDITIONAL_CREATE.contains(scheme)
                || ("s3a".equals(scheme) && S3ConditionalCreate.applies(fs));
    }

    /** Writes {@code bytes} to {@code target} if nothing is there; false when another file is already there. */
    public static boolean create(FileSystem fs, Path target, byte[] bytes) throws IOException {
        fs.mkdirs(target.getParent());
        RawLocalFileSystem raw = local(fs);
        if (raw != null) {
            return createLocal(raw.pathToFile(target).toPath(), bytes);
        }
        if (RENAME_REFUSES_EXISTING.contains(fs.getUri().getScheme())) {
            return createByRename(fs, target, bytes);
        }
        if ("s3a".equals(fs.getUri().getScheme()) && S3ConditionalCreate.applies(fs)) {
            return S3ConditionalCreate.create(fs, target, bytes);
        }
        return createIfAbsent(fs, target, bytes);
    }

    private static boolean createLocal(java.nio.file.Path target, byte[] bytes) throws IOException {
        java.nio.file.Path tmp = target.resolveSibling("." + target.getFileName() + ".tmp-" + UUID.randomUUID());
        Files.write(tmp, bytes, StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE, StandardOpenOption.SYNC);
        try {
            Files.createLink(target, tmp);
            return true;
        } catch (java.nio.file.FileAlreadyExistsException e) {
            return false;
        } finally {
            Files.deleteIfExists(tmp);
        }
    }

    private static boolean createByRename(FileSystem fs, Path target, byte[] bytes) throws IOException {
        Path tmp = new Path(target.getParent(), "." + target.getName() + ".tmp-" + UUID.randomUUID());
        try (FSDataOutputStream out = fs.create(tmp, false)) {
            out.write(bytes);
        }
        try {
            if (fs.rename(tmp, target)) {
                return true;
            }
            if (fs.exists(target)) {
                return false;
            }
            throw new IOException("rename " + tmp + " -> " + target + " failed");
        } finally {
            fs.delete(tmp, false);
        }
    }

    private static boolean createIfAbsent(FileSystem fs, Path target, byte[] bytes) throws IOException {
        try (FSDataOutputStream out = fs.create(target, false)) {
            out.write(bytes);
        } catch (FileAlreadyExistsException e) {
            return false;
        }
        // Where create is check-then-write, a writer that lost the race after its check finds the winner's bytes.
        try (FSDataInputStream in = fs.open(target)) {
            return Arrays.equals(in.readAllBytes(), bytes);
        }
    }

    private static RawLocalFileSystem local(FileSystem fs) {
        if (fs instanceof LocalFileSystem checksummed && checksummed.getRawFileSystem() instanceof RawLocalFileSystem raw) {
            return raw;
        }
        return fs instanceof RawLocalFileSystem raw ? raw : null;
    }
}
