package io.sparkcae.jobs.train;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.sparkcae.jobs.testing.CliRun;
import io.sparkcae.jobs.testing.FashionMnistSlice;
import io.sparkcae.jobs.testing.LocalSpark;
import io.sparkcae.jobs.testing.StageDirs;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.deeplearning4j.util.ModelSerializer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** train.batch-scope = global: the batch is split across the averaging workers, end to end in local mode. */
@ExtendWith(LocalSpark.class)
@Timeout(value = 10, unit = TimeUnit.MINUTES)
class BatchScopeTrainTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    @TempDir
    Path tmp;

    private String[] args(String stage, Path data, String run, String... extra) {
        java.util.List<String> a = new java.util.ArrayList<>(java.util.List.of(stage, "--data", data.toString(),
                "--run-dir", tmp.resolve(run).toString(), "--set", "seed=5", "--set", "train.epochs=1",
                "--set", "train.workers=2", "--set", "train.averaging-frequency=3",
                "--set", "train.checkpoint-every-epochs=0", "--set", "train.batch-scope=global"));
        a.addAll(java.util.List.of(extra));
        return a.toArray(String[]::new);
    }

    /** Preps a Fashion-MNIST slice into run {@code run}, then trains it with global batch {@code batch}. */
    private CliRun prepAndTrain(int train, int test, String run, int batch) throws Exception {
        Path data = FashionMnistSlice.write(tmp.resolve("fm-" + run), train, test);
        String size = "train.batch-size=" + batch;
        assertEquals(0, CliRun.of(args("prep", data, run, "--set", size)).exitCode());
        return CliRun.of(args("train", data, run, "--set", size));
    }

    @Test
    void twoWorkersWithAGlobalBatchTakeOneWorkersStepsPerEpoch() throws Exception {
        CliRun r = prepAndTrain(600, 60, "g", 32);
        assertEquals(0, r.exitCode(), r.toString());
        Path out = StageDirs.output(tmp.resolve("g"), "train");
        ComputationGraph net;
        try (var in = Files.newInputStream(out.resolve("model.zip"))) {
            net = ModelSerializer.restoreComputationGraph(in, false);
        }
        // ~540 training patches, 2 workers of 16 each: about 17 batches per worker (the driver's count follows
        // one worker); with the batch on every worker (32 each) it would be about 9
        int iterations = net.getConfiguration().getIterationCount();
        assertTrue(iterations >= 15 && iterations <= 18, "iterations: " + iterations);
        // train.lr-worker-scaling = log (the default): two workers train at the peak rate times 1 + 1/8
        org.nd4j.linalg.learning.config.IUpdater updater = ((org.deeplearning4j.nn.conf.layers.BaseLayer)
                net.getLayer("output_conv").conf().getLayer()).getIUpdater();
        io.sparkcae.core.model.CosineSchedule schedule = (io.sparkcae.core.model.CosineSchedule)
                ((org.nd4j.linalg.learning.config.Adam) updater).getLearningRateSchedule();
        assertEquals(0.006 * 1.125, schedule.peak(), 1e-12);
        JsonNode m = JSON.readTree(out.resolve("metrics.json").toFile());
        assertEquals(2, m.get("workers").asInt());
        assertTrue(Double.isFinite(m.get("val_mse").asDouble()));
    }

    @Test
    void aGlobalBatchSmallerThanTheWorkersIsAUsageErrorNamingTheKey() throws Exception {
        CliRun r = prepAndTrain(200, 20, "s", 1);
        assertEquals(2, r.exitCode(), r.toString());
        assertTrue(r.err().contains("sparkcae.train.batch-size = 1 cannot be split across 2 workers"), r.err());
        assertNull(StageDirs.committed(tmp.resolve("s"), "train"), "no committed train output");
    }
}
