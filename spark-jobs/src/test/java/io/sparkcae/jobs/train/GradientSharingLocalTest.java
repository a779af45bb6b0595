package io.sparkcae.jobs.train;

import io.sparkcae.jobs.testing.StageDirs;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.sparkcae.jobs.testing.CliRun;
import io.sparkcae.jobs.testing.FashionMnistSlice;
import io.sparkcae.jobs.testing.LocalSpark;
import io.sparkcae.jobs.cluster.AeronTransportThreads;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Gradient sharing (SharedTrainingMaster over Aeron on 127.0.0.1) in local mode: the Aeron endpoint
 * starts on the configured port, two workers train, and the validation error falls. In local mode both
 * workers share one JVM, so this does not prove that updates cross a network (that needs separate
 * executor JVMs).
 */
@ExtendWith(LocalSpark.class)
@Timeout(value = 5, unit = TimeUnit.MINUTES)
class GradientSharingLocalTest {
    @TempDir
    Path tmp;

    @Test
    void sharingModeTrainsAndValidationErrorFalls() throws Exception {
        Path data = FashionMnistSlice.write(tmp.resolve("fm"), 800, 50);
        String[] common = {"--data", data.toString(), "--run-dir", tmp.resolve("run").toString(),
                "--set", "train.mode=sharing", "--set", "train.workers=2", "--set", "train.epochs=3",
                "--set", "train.batch-size=32", "--set", "train.sharing-port=40321",
                "--set", "train.sharing-controller=127.0.0.1", "--set", "train.checkpoint-every-epochs=0"};
        assertEquals(0, CliRun.of(prepend("prep", common)).exitCode());
        CliRun r = CliRun.of(prepend("train", common));
        assertEquals(0, r.exitCode(), r.toString());
        List<String> lines = Files.readAllLines(StageDirs.output(tmp.resolve("run"), "train").resolve("metrics.jsonl"));
        assertEquals(3, lines.size());
        ObjectMapper json = new ObjectMapper();
        double first = json.readTree(lines.get(0)).get("val_mse").asDouble();
        double last = json.readTree(lines.get(2)).get("val_mse").asDouble();
        assertTrue(last < first, "val MSE falls under gradient sharing: " + first + " -> " + last);
        assertFalse(json.readTree(lines.get(0)).has("train_loss"), "DL4J reports no score for sharing");
        // one training master per epoch, each with its own transport: only the last one's poller may be left
        assertTrue(AeronTransportThreads.livePollers() <= 1,
                "Aeron pollers of finished epochs still spinning: " + AeronTransportThreads.livePollers());
    }

    private static String[] prepend(String first, String[] rest) {
        String[] a = new String[rest.length + 1];
        a[0] = first;
        System.arraycopy(rest, 0, a, 1, rest.length);
        return a;
    }
}
