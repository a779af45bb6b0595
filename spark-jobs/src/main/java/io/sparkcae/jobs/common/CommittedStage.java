package io.sparkcae.jobs.common;

import io.sparkcae.core.error.ExitCode;
import io.sparkcae.core.error.SparkCaeException;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FSDataInputStream;
import org.apache.hadoop.fs.FileStatus;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;

import java.io.FileNotFoundException;
import java.io.IOException;

/**
 * The committed output of a stage directory, as a reader finds it. A stage directory holds
 * <pre>
 *   _commits/00000001, 00000002, ...   one marker per commit, created only-if-absent (the commit itself)
 *   _SUCCESS                            a copy of the newest marker, for tools outside sparkcae
 *   v2.1a2b3c4d/                        the attempt directory the newest marker names: the output
 * </pre>
 * Readers take the highest-numbered marker, so they see either the previous output or the new one, whole,
 * and never depend on a directory rename (a copy-and-delete on object stores). A directory written by an
 * older sparkcae ({@code _SUCCESS} holding only the fingerprint, the output beside it) reads as version 0.
 */
public record CommittedStage(Path stageDir, Path dir, long version, String attempt, String fingerprint) {
    public static final String SUCCESS = "_SUCCESS";
    public static final String COMMITS = "_commits";

    /** The committed output of {@code stageDir}, or null when nothing was committed there. */
    public static CommittedStage read(FileSystem fs, Path stageDir) throws IOException {
        CommitMarker newest = newestMarker(fs, stageDir);
        if (newest != null) {
            return new CommittedStage(stageDir, new Path(stageDir, newest.attempt()), newest.version(), newest.attempt(),
                    newest.fingerprint());
        }
        Path success = new Path(stageDir, SUCCESS);
        if (!fs.exists(success)) {
            return null;
        }
        String legacy = RunFiles.readString(fs, success).trim();
        return legacy.isEmpty() || legacy.contains("=") ? null : new CommittedStage(stageDir, stageDir, 0, "", legacy);
    }

    /** As {@link #read(FileSystem, Path)}, for a path string resolved with the Spark session's Hadoop configuration. */
    public static CommittedStage read(String stageDir, Configuration hadoop) {
        Path p = new Path(stageDir);
        try {
            FileSystem fs = p.getFileSystem(hadoop);
            return read(fs, fs.makeQualified(p));
        } catch (IOException e) {
            throw new SparkCaeException(ExitCode.INFRASTRUCTURE, stageDir + ": cannot read the stage's commit: "
                    + e.getMessage(), e);
        }
    }

    /**
     * The commit of a stage, or an error naming the directory and the command that makes it, for a stage that
     * reads an earlier stage's output.
     */
    public static CommittedStage require(String stageDir, String stage, Configuration hadoop) {
        CommittedStage c = read(stageDir, hadoop);
        if (c == null) {
            throw SparkCaeException.usage(stageDir + ": no committed " + stage + " output; run 'sparkcae " + stage
                    + "' first");
        }
        return c;
    }

    static CommitMarker newestMarker(FileSystem fs, Path stageDir) throws IOException {
        FileStatus[] entries;
        try {
            entries = fs.listStatus(new Path(stageDir, COMMITS));
        } catch (FileNotFoundException e) {
            return null;
        }
        long newest = -1;
        Path newestPath = null;
        for (FileStatus s : entries) {
            String name = s.getPath().getName();
            if (s.isFile() && !name.isEmpty() && name.chars().allMatch(Character::isDigit)) {
                long v = Long.parseLong(name);
                if (v > newest) {
                    newest = v;
                    newestPath = s.getPath();
                }
            }
        }
        if (newestPath == null) {
            return null;
        }
        CommitMarker m;
        try (FSDataInputStream in = fs.open(newestPath)) {
            m = CommitMarker.parse(in.readAllBytes());
        }
        if (m == null || m.version() != newest) {
            throw new IOException(newestPath + ": not a sparkcae commit marker");
        }
        return m;
    }

    static String markerName(long version) {
        return String.format(java.util.Locale.ROOT, "%08d", version);
    }
}
