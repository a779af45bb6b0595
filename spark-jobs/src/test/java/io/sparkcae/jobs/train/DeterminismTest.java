package io.sparkcae.jobs.train;

import io.sparkcae.jobs.testing.StageDirs;
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
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;

/** Same seed, same local run, same data: identical parameters after training; another seed differs. */
@ExtendWith(LocalSpark.class)
@Timeout(value = 10, unit = TimeUnit.MINUTES)
class DeterminismTest {
    @TempDir
    Path tmp;

    private INDArray train(Path data, String run, long seed) throws Exception {
        String[] common = {"--data", data.toString(), "--run-dir", tmp.resolve(run).toString(),
                "--set", "seed=" + seed, "--set", "train.epochs=2", "--set", "train.batch-size=32",
                "--set", "train.averaging-frequency=3", "--set", "prep.records-per-task=250"};
        assertEquals(0, CliRun.of(concat("prep", common)).exitCode());
        CliRun r = CliRun.of(concat("train", common));
        assertEquals(0, r.exitCode(), r.toString());
        try (var in = Files.newInputStream(StageDirs.output(tmp.resolve(run), "train").resolve("model.zip"))) {
            ComputationGraph net = ModelSerializer.restoreComputationGraph(in, false);
            return net.params().dup();
        }
    }

    private static String[] concat(String first, String[] rest) {
        String[] a = new String[rest.length + 1];
        a[0] = first;
        System.arraycopy(rest, 0, a, 1, rest.length);
        return a;
    }

    @Test
    void sameSeedGivesIdenticalModelParameters() throws Exception {
        Path data = FashionMnistSlice.write(tmp.resolve("fm"), 800, 100);
        INDArray a = train(data, "a", 7);
        INDArray b = train(data, "b", 7);
        INDArray c = train(data, "c", 8);
        assertEquals(a, b, "max abs diff " + a.sub(b).amaxNumber());
        assertNotEquals(a, c);
    }
}
