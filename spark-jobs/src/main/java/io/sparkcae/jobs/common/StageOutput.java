package io.sparkcae.jobs.common;

import io.sparkcae.core.error.ExitCode;
import io.sparkcae.core.error.SparkCaeException;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FSDataOutputStream;
import org.apache.hadoop.fs.FileStatus;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.FileNotFoundException;
import java.io.IOException;
import java.util.HexFormat;
import java.util.concurrent.ThreadLocalRandom;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * One attempt at writing a stage's output, committed without renaming anything (see {@link CommittedStage}
 * for the layout). The attempt writes into its own directory {@code v<N>.<random>}, where N is the version it
 * means to commit; the commit is one marker {@code _commits/<N>} created only if absent. Two runs that race
 * for the same stage both aim at the same N, so exactly one commit wins on stores with an atomic
 * create-if-absent ({@link ExclusiveCreate}); the loser removes its attempt and fails naming the stage dir.
 * An attempt whose N is not above the committed version can never commit, so every run removes those
 * (a killed run's leftovers, the replaced output after an overwrite) and nothing else.
 */
public final class StageOutput {
    private static final Logger LOG = LoggerFactory.getLogger(StageOutput.class);
    private static final Pattern ATTEMPT = Pattern.compile("v(\\d+)\\.[0-9a-f]{8}");
    private static final long STALE_TEMP_MS = 3_600_000L;

    private final FileSystem fs;
    private final Path stageDir;
    private final String fingerprint;
    private final long version;
    private final Path attemptDir;
    private final CommittedStage replaced;

    private StageOutput(FileSystem fs, Path stageDir, String fingerprint, CommittedStage replaced) {
        this.fs = fs;
        this.stageDir = stageDir;
        this.fingerprint = fingerprint;
        this.replaced = replaced;
        this.version = replaced == null ? 1 : replaced.version() + 1;
        byte[] random = new byte[4];
        ThreadLocalRandom.current().nextBytes(random);
        this.attemptDir = new Path(stageDir, "v" + version + "." + HexFormat.of().formatHex(random));
    }

    /**
     * Prepares an attempt for {@code dir}, or returns null when {@code policy} is SKIP and the directory already
     * holds a commit with the same fingerprint.
     */
    public static StageOutput begin(String dir, String fingerprint, IfExists policy, Configuration hadoop) {
        Path p = new Path(dir);
        try {
            FileSystem fs = p.getFileSystem(hadoop);
            Path stageDir = fs.makeQualified(p);
            CommittedStage current = CommittedStage.read(fs, stageDir);
            if (current != null) {
                boolean same = fingerprint.equals(current.fingerprint());
                if (policy == IfExists.SKIP && same) {
                    LOG.info("{} already holds this run (fingerprint {}); skipping", stageDir, fingerprint);
                    removeDoomedAttempts(fs, stageDir, current);
                    return null;
                }
                if (policy != IfExists.OVERWRITE) {
                    throw SparkCaeException.usage(stageDir + ": output already exists and holds "
                            + (same ? "this same run" : "a different run (other inputs or config)")
                            + "; pass --if-exists overwrite to replace it" + (same ? " or --if-exists skip to keep it" : ""));
                }
            } else if (fs.exists(stageDir) && !fs.getFileStatus(stageDir).isDirectory()) {
                throw SparkCaeException.usage(stageDir + ": exists and is a file, not a stage directory");
            }
            removeDoomedAttempts(fs, stageDir, current);
            removeRenameLeftovers(fs, stageDir);
            StageOutput out = new StageOutput(fs, stageDir, fingerprint, current);
            if (!fs.mkdirs(out.attemptDir)) {
                throw new IOException("mkdirs failed");
            }
            return out;
        } catch (IOException e) {
            throw new SparkCaeException(ExitCode.INFRASTRUCTURE, dir + ": cannot prepare output: " + e.getMessage(), e);
        }
    }

    /** Where this attempt writes; after {@link #commit()} it is the committed output. */
    public String attemptDir() {
        return attemptDir.toString();
    }

    public String stageDir() {
        return stageDir.toString();
    }

    /** Publishes the attempt: creates the version's marker, or fails when a concurrent run got there first. */
    public void commit() {
        CommitMarker marker = new CommitMarker(version, attemptDir.getName(), fingerprint);
        boolean won;
        try {
            won = ExclusiveCreate.create(fs, new Path(new Path(stageDir, CommittedStage.COMMITS),
                    CommittedStage.markerName(version)), marker.toBytes());
        } catch (IOException e) {
            abort();
            throw new SparkCaeException(ExitCode.INFRASTRUCTURE, stageDir + ": commit failed: " + e.getMessage(), e);
        }
        if (!won) {
            abort();
            throw concurrentCommit();
        }
        try {
            writeSuccessCopy(marker);
            CommittedStage now = new CommittedStage(stageDir, attemptDir, version, attemptDir.getName(), fingerprint);
            removeDoomedAttempts(fs, stageDir, now);
            if (replaced != null && replaced.version() == 0) {
                removeLegacyOutput();
            }
        } catch (IOException e) {
            // the commit stands; what is left over is removed by the next run of this stage
            LOG.warn("{}: committed, but tidying up failed: {}", stageDir, e.getMessage());
        }
    }

    /**
     * Removes this attempt's directory, and the stage directory too when that leaves it empty (a first run that
     * failed leaves nothing behind); the committed output is untouched.
     */
    public void abort() {
        try {
            fs.delete(attemptDir, true);
            FileStatus[] left = fs.listStatus(stageDir);
            if (left.length == 0) {
                // non-recursive: fails harmlessly when a concurrent run has just made its attempt here
                fs.delete(stageDir, false);
            }
        } catch (IOException e) {
            LOG.warn("could not remove {}: {}", attemptDir, e.getMessage());
        }
    }

    /**
     * The error to report for a failure while this attempt was writing: a concurrent commit (which removes this
     * attempt's files, so the write fails) is named as such; otherwise null.
     */
    public SparkCaeException explainFailure() {
        try {
            CommitMarker newest = CommittedStage.newestMarker(fs, stageDir);
            return newest != null && newest.version() >= version && !newest.attempt().equals(attemptDir.getName())
                    ? concurrentCommit() : null;
        } catch (IOException e) {
            return null;
        }
    }

    private SparkCaeException concurrentCommit() {
        return new SparkCaeException(ExitCode.INFRASTRUCTURE, stageDir + ": another run committed this stage while"
                + " this one was writing (both used this run dir); this run's output was discarded and the other"
                + " run's output stands");
    }

    private void writeSuccessCopy(CommitMarker marker) throws IOException {
        Path success = new Path(stageDir, CommittedStage.SUCCESS);
        Path tmp = new Path(stageDir, "." + CommittedStage.SUCCESS + ".tmp-" + attemptDir.getName());
        try (FSDataOutputStream out = fs.create(tmp, true)) {
            out.write(marker.toBytes());
        }
        // readers inside sparkcae use _commits/; this copy is for other tools, so a brief gap on HDFS is fine
        fs.delete(success, false);
        if (!fs.rename(tmp, success)) {
            fs.delete(tmp, false);
            try (FSDataOutputStream out = fs.create(success, true)) {
                out.write(marker.toBytes());
            }
        }
    }

    /** Attempts that can never commit: their version is not above the committed one. */
    private static void removeDoomedAttempts(FileSystem fs, Path stageDir, CommittedStage current) throws IOException {
        FileStatus[] entries;
        try {
            entries = fs.listStatus(stageDir);
        } catch (FileNotFoundException e) {
            return;
        }
        long committed = current == null ? 0 : current.version();
        for (FileStatus s : entries) {
            String name = s.getPath().getName();
            Matcher m = ATTEMPT.matcher(name);
            boolean doomed = m.matches() && Long.parseLong(m.group(1)) <= committed
                    && (current == null || !name.equals(current.attempt()));
            boolean staleTemp = name.startsWith("." + CommittedStage.SUCCESS + ".tmp-")
                    && System.currentTimeMillis() - s.getModificationTime() > STALE_TEMP_MS;
            if (doomed || staleTemp) {
                LOG.info("{}: removing {} left by an earlier run", stageDir, name);
                fs.delete(s.getPath(), true);
            }
        }
    }

    /**
     * Sparkcae versions that committed by renaming left {@code .<stage>.tmp-*} and {@code .<stage>.old-*} beside
     * the stage directory when killed; nothing reads them.
     */
    private static void removeRenameLeftovers(FileSystem fs, Path stageDir) throws IOException {
        Path runDir = stageDir.getParent();
        if (runDir == null || !fs.exists(runDir)) {
            return;
        }
        String tmp = "." + stageDir.getName() + ".tmp-";
        String old = "." + stageDir.getName() + ".old-";
        for (FileStatus s : fs.listStatus(runDir)) {
            String name = s.getPath().getName();
            if (name.startsWith(tmp) || name.startsWith(old)) {
                LOG.info("{}: removing {} left by an older sparkcae", runDir, name);
                fs.delete(s.getPath(), true);
            }
        }
    }

    /** After replacing an output written in the old in-place layout, its files go. */
    private void removeLegacyOutput() throws IOException {
        for (FileStatus s : fs.listStatus(stageDir)) {
            String name = s.getPath().getName();
            if (!name.equals(CommittedStage.COMMITS) && !name.equals(CommittedStage.SUCCESS)
                    && !name.equals(attemptDir.getName()) && !ATTEMPT.matcher(name).matches()) {
                fs.delete(s.getPath(), true);
            }
        }
    }
}
