package io.sparkcae.jobs.common;

import io.sparkcae.core.error.SparkCaeException;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;

import java.io.IOException;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.UUID;

/**
 * Checks before anything runs that the run dir can hold output: its scheme has a file system, no ancestor is
 * a file, and a file can be created in it. Otherwise a stage would fail only in its first task, deep in Spark's
 * writer (a run dir under /proc, or whose parent is a file). What the check itself creates it removes again,
 * so a dry run leaves nothing behind.
 */
public final class RunDirProbe {
    private RunDirProbe() {
    }

    public static void requireWritable(String runDir, Configuration hadoop) {
        Path dir = new Path(runDir);
        FileSystem fs;
        try {
            fs = dir.getFileSystem(hadoop);
        } catch (IOException e) {
            throw SparkCaeException.usage("--run-dir " + runDir + ": " + describe(e));
        }
        Deque<Path> created = new ArrayDeque<>();
        try {
            for (Path p = fs.makeQualified(dir); p != null; p = p.getParent()) {
                if (fs.exists(p)) {
                    if (!fs.getFileStatus(p).isDirectory()) {
                        throw SparkCaeException.usage("--run-dir " + runDir + ": " + p.toUri().getPath()
                                + " is a file, not a directory; choose another run dir");
                    }
                    break;
                }
                created.push(p);
            }
            for (Path p : created) {
                if (!fs.mkdirs(p)) {
                    throw new IOException("cannot create " + p);
                }
            }
            Path probe = new Path(dir, ".sparkcae-write-probe-" + UUID.randomUUID());
            fs.create(probe, false).close();
            fs.delete(probe, false);
        } catch (SparkCaeException e) {
            throw e;
        } catch (IOException | RuntimeException e) {
            throw SparkCaeException.usage("--run-dir " + runDir + ": cannot create or write there (" + describe(e)
                    + "); choose a writable directory");
        } finally {
            // innermost first; only what this check made
            while (!created.isEmpty()) {
                try {
                    fs.delete(created.pollLast(), false);
                } catch (IOException ignored) {
                    // left empty; harmless
                }
            }
        }
    }

    private static String describe(Exception e) {
        String m = e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage();
        if (m.startsWith("No FileSystem for scheme")) {
            return "unknown URI scheme (" + m + "); use a local path, file:, hdfs:, s3a: or a scheme whose connector is installed";
        }
        return m;
    }
}
