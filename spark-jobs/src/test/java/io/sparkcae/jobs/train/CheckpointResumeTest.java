package io.sparkcae.jobs.train;

import io.sparkcae.jobs.testing.StageDirs;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.sparkcae.jobs.testing.CliRun;
import io.sparkcae.jobs.testing.FashionMnistSlice;
import io.sparkcae.jobs.testing.LocalSpark;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.deeplearning4j.util.ModelSerializer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;
import org.nd4j.linalg.api.ndarray.INDArray;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Checkpoints, resume equivalence, early stopping and the learning-rate schedule, in local mode. */
@ExtendWith(LocalSpark.class)
@Timeout(value = 10, unit = TimeUnit.MINUTES)
class CheckpointResumeTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    @TempDir
    Path tmp;

    private String[] args(Path data, String run, String... extra) {
        List<String> a = new ArrayList<>(List.of("--data", data.toString(), "--run-dir", tmp.resolve(run).toString(),
                "--set", "train.batch-size=32", "--set", "train.averaging-frequency=3", "--set", "seed=5",
                "--set", "train.lr-schedule=step", "--set", "train.lr-step-epochs=2"));
        a.addAll(List.of(extra));
        return a.toArray(String[]::new);
    }

    private static String[] with(String first, String[] rest) {
        String[] a = new String[rest.length + 1];
        a[0] = first;
        System.arraycopy(rest, 0, a, 1, rest.length);
        return a;
    }

    private static INDArray params(Path zip) throws Exception {
        try (var in = Files.newInputStream(zip)) {
            ComputationGraph net = ModelSerializer.restoreComputationGraph(in, false);
            return net.params().dup();
        }
    }

    @Test
    void aRunResumedFromACheckpointEndsWithTheSameParameters() throws Exception {
        Path data = FashionMnistSlice.write(tmp.resolve("fm"), 600, 60);
        // uninterrupted: 3 epochs
        String[] full = args(data, "full", "--set", "train.epochs=3", "--set", "train.checkpoint-keep=2");
        assertEquals(0, CliRun.of(with("prep", full)).exitCode());
        assertEquals(0, CliRun.of(with("train", full)).exitCode());

        // The same run, "killed" after epoch 2: its epoch-3 checkpoint and committed output are removed, as if
        // the driver had died before writing them; then `train --resume` continues from epoch 2.
        String[] firstTwo = args(data, "resumed", "--set", "train.epochs=3", "--set", "train.checkpoint-keep=2");
        assertEquals(0, CliRun.of(with("prep", firstTwo)).exitCode());
        assertEquals(0, CliRun.of(with("train", firstTwo)).exitCode());
        Path ckpt = CheckpointsTest.runFolder(tmp.resolve("resumed/checkpoints"));
        try (var s = Files.list(ckpt)) {
            assertTrue(s.anyMatch(p -> p.getFileName().toString().equals("epoch-0003")));
        }
        deleteTree(ckpt.resolve("epoch-0003"));
        deleteTree(tmp.resolve("resumed/train"));
        // keep-last 2: epoch 2 is still there to resume from
        assertTrue(Files.exists(ckpt.resolve("epoch-0002/state.json")));
        CliRun r = CliRun.of(with("train", with("--resume", firstTwo)));
        assertEquals(0, r.exitCode(), r.toString());

        INDArray a = params(StageDirs.output(tmp.resolve("full"), "train").resolve("model.zip"));
        INDArray b = params(StageDirs.output(tmp.resolve("resumed"), "train").resolve("model.zip"));
        assertEquals(a, b, "max abs diff " + a.sub(b).amaxNumber());
        List<String> lines = Files.readAllLines(StageDirs.output(tmp.resolve("resumed"), "train").resolve("metrics.jsonl"));
        assertEquals(3, lines.size());
    }

    @Test
    void theCosineScheduleSpansEveryEpochOfEveryWorkerAndEndsAtItsFloor() throws Exception {
        Path data = FashionMnistSlice.write(tmp.resolve("fm"), 600, 60);
        String[] a = args(data, "cosine", "--set", "train.epochs=2", "--set", "train.lr-schedule=cosine",
                "--set", "train.learning-rate=0.004", "--set", "train.workers=2", "--set", "train.checkpoint-every-epochs=0");
        assertEquals(0, CliRun.of(with("prep", a)).exitCode());
        CliRun r = CliRun.of(with("train", a));
        assertEquals(0, r.exitCode(), r.toString());
        ComputationGraph net;
        try (var in = Files.newInputStream(StageDirs.output(tmp.resolve("cosine"), "train").resolve("model.zip"))) {
            net = ModelSerializer.restoreComputationGraph(in, false);
        }
        // ~540 training patches over 2 workers at batch 32: about 9 batches per worker and epoch; the driver's
        // count follows one worker's batches (not their sum), so the schedule ends with the last epoch
        int iterations = net.getConfiguration().getIterationCount();
        assertTrue(iterations >= 16 && iterations <= 20 && iterations % 2 == 0, "iterations: " + iterations);
        String layer = java.util.Arrays.stream(net.getLayers()).map(l -> l.conf().getLayer())
                .filter(l -> l instanceof org.deeplearning4j.nn.conf.layers.BaseLayer).findFirst().orElseThrow()
                .getLayerName();
        assertEquals(0.004 * 0.01, net.getLearningRate(layer), 1e-12, "the rate at the end of the last epoch");
    }

    @Test
    void earlyStoppingKeepsTheBestEpochWhenValidationStopsImproving() throws Exception {
        Path data = FashionMnistSlice.write(tmp.resolve("fm"), 300, 30);
        // a min-delta larger than any real improvement: epoch 1 is best, patience 2 stops after epoch 3
        String[] a = args(data, "es", "--set", "train.epochs=8", "--set", "train.early-stopping-patience=2",
                "--set", "train.early-stopping-min-delta=10", "--set", "train.checkpoint-every-epochs=0");
        assertEquals(0, CliRun.of(with("prep", a)).exitCode());
        CliRun r = CliRun.of(with("train", a));
        assertEquals(0, r.exitCode(), r.toString());
        JsonNode m = JSON.readTree(StageDirs.output(tmp.resolve("es"), "train").resolve("metrics.json").toFile());
        assertEquals(3, m.get("epochs").asInt());
        assertEquals(1, m.get("best_epoch").asInt());
        assertTrue(m.get("stopped_early").asBoolean());
        assertTrue(!Files.exists(tmp.resolve("es/checkpoints")));
    }

    private static void deleteTree(Path p) throws Exception {
        try (var s = Files.walk(p)) {
            s.sorted(java.util.Comparator.reverseOrder()).forEach(x -> x.toFile().delete());
        }
    }
}
