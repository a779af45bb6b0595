package io.sparkcae.jobs.common;

import io.sparkcae.core.error.ExitCode;
import io.sparkcae.core.error.SparkCaeException;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FSDataInputStream;
import org.apache.hadoop.fs.FSDataOutputStream;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.UUID;

/**
 * Atomic commit of one stage's output directory. Everything is written under a hidden temporary sibling
 * ({@code .name.tmp-<uuid>}); {@code _SUCCESS} holding the run's fingerprint is written last, then the
 * directory is renamed into place. A reader that sees the directory therefore sees a complete result, and a
 * job killed mid-write leaves only a hidden temp directory that the next run ignores.
 */
public final class StageOutput {
    public static final String SUCCESS = "_SUCCESS";
    private static final Logger LOG = LoggerFactory.getLogger(StageOutput.class);

    private final FileSystem fs;
    private final Path finalDir;
    private final Path tmpDir;
    private final String fingerprint;

    private StageOutput(FileSystem fs, Path finalDir, String fingerprint) {
        this.fs = fs;
        this.finalDir = finalDir;
        this.fingerprint = fingerprint;
        this.tmpDir = new Path(finalDir.getParent(), "." + finalDir.getName() + ".tmp-" + UUID.randomUUID());
    }

    /**
     * Prepares a commit into {@code dir}, or returns null when {@code policy} is SKIP and the directory
     * already holds a run with the same fingerprint.
     */
    public static StageOutput begin(String dir, String fingerprint, IfExists policy, Configuration hadoop) {
        Path finalDir = new Path(dir);
        try {
            FileSystem fs = finalDir.getFileSystem(hadoop);
            finalDir = fs.makeQualified(finalDir);
            if (fs.exists(finalDir)) {
                String existing = readFingerprint(fs, finalDir);
                boolean same = fingerprint.equals(existing);
                if (policy == IfExists.SKIP && same) {
                    LOG.info("{} already holds this run (fingerprint {}); skipping", finalDir, fingerprint);
                    return null;
                }
                if (policy != IfExists.OVERWRITE) {
                    String what = existing == null ? "an incomplete or foreign directory"
                            : same ? "this same run" : "a different run (other inputs or config)";
                    throw SparkCaeException.usage(finalDir + ": output already exists and holds " + what
                            + "; pass --if-exists overwrite to replace it"
                            + (same ? " or --if-exists skip to keep it" : ""));
                }
            }
            StageOutput out = new StageOutput(fs, finalDir, fingerprint);
            fs.mkdirs(out.tmpDir);
            return out;
        } catch (IOException e) {
            throw new SparkCaeException(ExitCode.INFRASTRUCTURE, dir + ": cannot prepare output: " + e.getMessage(), e);
        }
    }

    /** Fingerprint recorded by a committed stage directory, or null if it has none. */
    public static String readFingerprint(FileSystem fs, Path dir) throws IOException {
        Path success = new Path(dir, SUCCESS);
        if (!fs.exists(success)) {
            return null;
        }
        try (FSDataInputStream in = fs.open(success)) {
            return new String(in.readAllBytes(), StandardCharsets.UTF_8).trim();
        }
    }

    /** Where the stage writes; becomes {@link #finalDir()} on commit. */
    public String tmpDir() {
        return tmpDir.toString();
    }

    public String finalDir() {
        return finalDir.toString();
    }

    public FileSystem fileSystem() {
        return fs;
    }

    public void commit() {
        try {
            try (FSDataOutputStream out = fs.create(new Path(tmpDir, SUCCESS), true)) {
                out.write((fingerprint + "\n").getBytes(StandardCharsets.UTF_8));
            }
            Path old = null;
            if (fs.exists(finalDir)) {
                old = new Path(finalDir.getParent(), "." + finalDir.getName() + ".old-" + UUID.randomUUID());
                rename(finalDir, old);
            }
            rename(tmpDir, finalDir);
            if (old != null) {
                fs.delete(old, true);
            }
        } catch (IOException e) {
            throw new SparkCaeException(ExitCode.INFRASTRUCTURE, finalDir + ": commit failed: " + e.getMessage(), e);
        }
    }

    /** Removes the temporary directory; the final directory is untouched. */
    public void abort() {
        try {
            fs.delete(tmpDir, true);
        } catch (IOException e) {
            LOG.warn("could not remove {}: {}", tmpDir, e.getMessage());
        }
    }

    private void rename(Path from, Path to) throws IOException {
        if (!fs.rename(from, to)) {
            throw new IOException("rename " + from + " -> " + to + " failed");
        }
    }
}
