package io.sparkcae.jobs.train;

import io.sparkcae.jobs.testing.StageDirs;
import io.sparkcae.jobs.testing.CliProcess;
import io.sparkcae.jobs.testing.CliRun;
import io.sparkcae.jobs.testing.FashionMnistSlice;
import io.sparkcae.jobs.testing.LocalSpark;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.zip.ZipEntry;
import java.util.zip.ZipFile;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The driver killed (SIGKILL) in the middle of an epoch, then `train --resume`: the resumed run starts at the
 * last mid-epoch checkpoint (so it loses at most checkpoint-every-iterations batches of work), finishes, and
 * ends with the parameters of a run that was never interrupted.
 */
@ExtendWith(LocalSpark.class)
@Timeout(value = 10, unit = TimeUnit.MINUTES)
class DriverKillResumeTest {
    @TempDir
    Path tmp;

    private String[] args(Path data, Path run, String stage, String... extra) {
        List<String> a = new ArrayList<>(List.of(stage, "--data", data.toString(), "--run-dir", run.toString(),
                "--set", "seed=7", "--set", "train.epochs=2", "--set", "train.batch-size=32",
                "--set", "train.averaging-frequency=2", "--set", "train.checkpoint-every-iterations=4",
                "--set", "train.checkpoint-keep=3"));
        a.addAll(List.of(extra));
        return a.toArray(String[]::new);
    }

    @Test
    void aDriverKilledMidEpochResumesFromItsLastCheckpointAndEndsWhereAnUninterruptedRunEnds() throws Exception {
        Path data = FashionMnistSlice.write(tmp.resolve("fm"), 1200, 100);
        Path full = tmp.resolve("full");
        assertEquals(0, CliRun.of(args(data, full, "prep")).exitCode());
        CliRun ref = CliRun.of(args(data, full, "train"));
        assertEquals(0, ref.exitCode(), ref.toString());

        Path run = tmp.resolve("killed");
        assertEquals(0, CliRun.of(args(data, run, "prep")).exitCode());
        Path ckpt = run.resolve("checkpoints");
        String killedAt;
        try (CliProcess driver = CliProcess.start(tmp.resolve("killed.log"), args(data, run, "train"))) {
            assertTrue(driver.awaitCondition(() -> !checkpoints(ckpt, "epoch-0002-iter-").isEmpty(), 5, TimeUnit.MINUTES),
                    "the driver reached a mid-epoch checkpoint of epoch 2: " + driver.output());
            driver.kill();
        }
        assertFalse(Files.exists(run.resolve("train/_SUCCESS")), "the killed run committed nothing");
        List<String> left = checkpoints(ckpt, "epoch-0002-iter-");
        killedAt = left.get(left.size() - 1);
        int batchesDone = Integer.parseInt(killedAt.substring("epoch-0002-iter-".length()));

        try (CliProcess resumed = CliProcess.start(tmp.resolve("resumed.log"), args(data, run, "train", "--resume"))) {
            assertEquals(0, resumed.awaitExit(5, TimeUnit.MINUTES), resumed.output());
            assertTrue(resumed.output().contains("resuming epoch 2 at batch " + batchesDone + " of"),
                    "resumed from " + killedAt + ": " + resumed.output());
        }
        assertTrue(Files.exists(run.resolve("train/_SUCCESS")));
        assertEquals(2, Files.readAllLines(StageDirs.output(run, "train").resolve("metrics.jsonl")).size());
        INDArray a = params(StageDirs.output(full, "train").resolve("model.zip"));
        INDArray b = params(StageDirs.output(run, "train").resolve("model.zip"));
        assertEquals(a.length(), b.length());
        double diff = a.sub(b).amaxNumber().doubleValue();
        assertTrue(diff < 1e-5, "max abs parameter difference " + diff);
    }

    /** Complete checkpoint directories whose names start with the prefix, oldest first. */
    private static List<String> checkpoints(Path checkpointDir, String prefix) {
        if (!Files.isDirectory(checkpointDir)) {
            return List.of();
        }
        Path dir;
        try {
            dir = CheckpointsTest.runFolder(checkpointDir); // the run's own folder inside the checkpoint dir
        } catch (AssertionError | IOException e) {
            return List.of();
        }
        try (var s = Files.list(dir)) {
            return s.map(p -> p.getFileName().toString()).filter(n -> n.startsWith(prefix))
                    .sorted(Comparator.naturalOrder()).toList();
        } catch (IOException | java.io.UncheckedIOException e) {
            return List.of(); // a checkpoint was renamed mid-listing: look again
        }
    }

    /** The flat parameter vector DL4J's ModelSerializer stores in a model zip. */
    private static INDArray params(Path zip) throws IOException {
        try (ZipFile z = new ZipFile(zip.toFile())) {
            ZipEntry e = z.getEntry("coefficients.bin");
            try (InputStream in = z.getInputStream(e)) {
                return Nd4j.read(in);
            }
        }
    }
}
