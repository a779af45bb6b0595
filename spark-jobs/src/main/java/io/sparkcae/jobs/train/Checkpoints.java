package io.sparkcae.jobs.train;

import io.sparkcae.core.config.ConfKeys;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.sparkcae.core.error.ExitCode;
import io.sparkcae.core.error.SparkCaeException;
import io.sparkcae.core.report.EpochLoss;
import io.sparkcae.jobs.common.ModelZipReader;
import io.sparkcae.jobs.common.OutputWriteFailure;
import io.sparkcae.jobs.common.Fingerprint;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FSDataOutputStream;
import org.apache.hadoop.fs.FileStatus;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.deeplearning4j.util.ModelSerializer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.io.InputStream;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.UUID;

/**
 * Checkpoints on any Hadoop file system, in a folder per run ({@code run-<first 16 hex digits of the run's
 * fingerprint>/}), so checkpoints of an earlier config in the same dir neither block {@code --resume} nor get
 * pruned by this run, and this run's pruning never touches theirs. Inside it: {@code epoch-NNNN/} after epoch NNNN, {@code epoch-NNNN-iter-IIIIII/}
 * after IIIIII mini-batches (per worker) of epoch NNNN. Each holds the network with its updater state
 * ({@code model.zip}), the best epoch's parameters so far ({@code best.zip}) and {@code state.json} (completed
 * epochs, segments done in the next one, loss history, best epoch). Data order, corruption and averaging splits
 * derive from (seed, epoch, segment), so this is all a resumed run needs to continue exactly where the
 * interrupted one was. Each checkpoint is written under a temporary name and renamed, so a crash mid-write
 * never leaves a checkpoint that looks complete; a failed write removes its temporary folder. Other names in the
 * folder (a copy such as {@code epoch-0001.bak}) are ignored with a warning.
 */
final class Checkpoints {
    private static final Logger LOG = LoggerFactory.getLogger(Checkpoints.class);
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String PREFIX = "epoch-";
    private static final String ITER = "-iter-";
    static final String RUN_PREFIX = "run-";
    /** A checkpoint folder's name; anything else beside them is not ours to read or prune. */
    private static final java.util.regex.Pattern NAME = java.util.regex.Pattern.compile("epoch-\\d{4,}(-iter-\\d{6,})?");

    private final FileSystem fs;
    private final Path dir;
    private final int keep;

    /** What a checkpoint restores besides the network. */
    /**
     * @param epoch          completed epochs
     * @param segmentsDone   segments of epoch {@code epoch + 1} already fitted (0 at an epoch end)
     * @param batchesDone    mini-batches per worker those segments hold (names the checkpoint)
     * @param partialLossSum sum of those segments' train losses, for the epoch's mean
     */
    record State(int epoch, int segmentsDone, int batchesDone, double partialLossSum, List<EpochLoss> history,
                 int bestEpoch, double bestValMse, String fingerprint) {
        static State epochEnd(int epoch, List<EpochLoss> history, int bestEpoch, double bestValMse, String fingerprint) {
            return new State(epoch, 0, 0, 0, history, bestEpoch, bestValMse, fingerprint);
        }

        String dirName() {
            return segmentsDone == 0 ? String.format(java.util.Locale.ROOT, PREFIX + "%04d", epoch)
                    : String.format(java.util.Locale.ROOT, PREFIX + "%04d" + ITER + "%06d", epoch + 1, batchesDone);
        }
    }

    /** A restored checkpoint. */
    record Restored(State state, ComputationGraph network, ComputationGraph best) {
    }

    Checkpoints(String dir, int keep, Configuration hadoop) throws IOException {
        Path p = new Path(dir);
        this.fs = p.getFileSystem(hadoop);
        this.dir = fs.makeQualified(p);
        this.keep = keep;
    }

    /** The folder of the run with this fingerprint. */
    static String runFolderName(String fingerprint) {
        String fp = fingerprint == null || fingerprint.isEmpty() ? "unknown" : fingerprint;
        return RUN_PREFIX + (fp.matches("[0-9a-f]{16,}") ? fp.substring(0, 16) : Fingerprint.of(fp).substring(0, 16));
    }

    private Path runDir(String fingerprint) {
        return new Path(dir, runFolderName(fingerprint));
    }

    void save(State state, ComputationGraph network, ComputationGraph best) {
        Path runDir = runDir(state.fingerprint());
        Path target = new Path(runDir, state.dirName());
        Path tmp = new Path(runDir, "." + target.getName() + ".tmp-" + UUID.randomUUID());
        try {
            fs.mkdirs(tmp);
            try (FSDataOutputStream out = fs.create(new Path(tmp, "model.zip"))) {
                ModelSerializer.writeModel(network, out, true);
            }
            try (FSDataOutputStream out = fs.create(new Path(tmp, "best.zip"))) {
                ModelSerializer.writeModel(best, out, false);
            }
            try (FSDataOutputStream out = fs.create(new Path(tmp, "state.json"))) {
                out.write(JSON.writeValueAsBytes(state));
            }
            fs.delete(target, true);
            if (!fs.rename(tmp, target)) {
                throw new IOException("rename " + tmp + " -> " + target + " failed");
            }
            prune(runDir, state.bestEpoch());
            LOG.info("checkpoint -> {}", target);
        } catch (IOException | RuntimeException | Error e) {
            // Hadoop's local file system reports a full disk as FSError, an Error
            removeQuietly(tmp);
            if (e instanceof SparkCaeException s) {
                throw s;
            }
            if (OutputWriteFailure.isDiskFull(e)) {
                throw new SparkCaeException(ExitCode.INFRASTRUCTURE, target + ": no space left on the device while"
                        + " writing a checkpoint; the partial checkpoint was removed. Free space or set "
                        + ConfKeys.CHECKPOINT_DIR, e);
            }
            if (e instanceof Error err && !err.getClass().getName().equals("org.apache.hadoop.fs.FSError")) {
                throw err;
            }
            throw new SparkCaeException(ExitCode.INFRASTRUCTURE, target + ": cannot write checkpoint: " + e.getMessage(), e);
        }
    }

    private void removeQuietly(Path p) {
        try {
            fs.delete(p, true);
        } catch (IOException | RuntimeException e) {
            LOG.warn("could not remove the partial checkpoint {}: {}", p, e.toString());
        }
    }

    /** Folders of other runs in the checkpoint dir (for the message when this run has none). */
    List<String> otherRuns(String fingerprint) {
        try {
            if (!fs.exists(dir)) {
                return List.of();
            }
            String mine = runFolderName(fingerprint);
            List<String> out = new ArrayList<>();
            for (FileStatus s : fs.listStatus(dir)) {
                String name = s.getPath().getName();
                if (s.isDirectory() && !name.equals(mine) && (name.startsWith(RUN_PREFIX) || NAME.matcher(name).matches())) {
                    out.add(name);
                }
            }
            java.util.Collections.sort(out);
            return out;
        } catch (IOException e) {
            return List.of();
        }
    }

    /** Where this run's checkpoints live. */
    Path dirOf(String fingerprint) {
        return runDir(fingerprint);
    }

    /** The newest complete checkpoint of the run with this fingerprint, or null when there is none. */
    Restored latest(String fingerprint) {
        try {
            List<Path> all = complete(runDir(fingerprint));
            if (all.isEmpty()) {
                return null;
            }
            Path last = all.get(all.size() - 1);
            State state;
            try (InputStream in = fs.open(new Path(last, "state.json"))) {
                state = JSON.readValue(in, State.class);
            }
            ComputationGraph net;
            try (InputStream in = fs.open(new Path(last, "model.zip"))) {
                net = ModelZipReader.read(in, new Path(last, "model.zip").toString(), true);
            }
            ComputationGraph best;
            try (InputStream in = fs.open(new Path(last, "best.zip"))) {
                best = ModelZipReader.read(in, new Path(last, "best.zip").toString(), false);
            }
            return new Restored(state, net, best);
        } catch (IOException e) {
            throw SparkCaeException.badData(dir + ": unreadable checkpoint: " + e.getMessage(), e);
        }
    }

    /** Keeps the newest {@code keep} checkpoints and the best epoch's. */
    private void prune(Path runDir, int bestEpoch) throws IOException {
        List<Path> all = complete(runDir);
        for (int i = 0; i < all.size() - keep; i++) {
            if (!all.get(i).getName().equals(String.format(java.util.Locale.ROOT, PREFIX + "%04d", bestEpoch))) {
                fs.delete(all.get(i), true);
            }
        }
    }

    private List<Path> complete(Path runDir) throws IOException {
        if (!fs.exists(runDir)) {
            return List.of();
        }
        List<Path> out = new ArrayList<>();
        for (FileStatus s : fs.listStatus(runDir)) {
            String name = s.getPath().getName();
            if (s.isDirectory() && NAME.matcher(name).matches()) {
                out.add(s.getPath());
            } else if (!name.startsWith(".")) {
                // e.g. a copy someone made (epoch-0001.bak): neither read nor pruned, but said once per listing
                LOG.warn("checkpoint dir {}: ignoring {} (not a checkpoint name)", runDir, name);
            }
        }
        out.sort(Comparator.comparingLong(Checkpoints::position));
        return out;
    }

    /** Training progress a checkpoint directory stands for: (completed epochs, batches into the next). */
    private static long position(Path p) {
        String name = p.getName().substring(PREFIX.length());
        int iter = name.indexOf(ITER);
        if (iter < 0) {
            return Long.parseLong(name) << 32;
        }
        long epochInProgress = Long.parseLong(name.substring(0, iter));
        return ((epochInProgress - 1) << 32) + Long.parseLong(name.substring(iter + ITER.length()));
    }
}
