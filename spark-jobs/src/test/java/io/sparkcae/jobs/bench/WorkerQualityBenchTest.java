package io.sparkcae.jobs.bench;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.sparkcae.core.config.SparkCaeConf;
import io.sparkcae.jobs.testing.LocalSpark;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.ExtendWith;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The worker-count quality bench on a few hundred real images: one line per worker count and epoch, then the ratios. */
@ExtendWith(LocalSpark.class)
@Timeout(value = 5, unit = TimeUnit.MINUTES)
class WorkerQualityBenchTest {
    @Test
    void printsValMsePerWorkerCountAndEpochThenRatiosToTheFirstCount() throws Exception {
        SparkCaeConf conf = SparkCaeConf.defaults().with(Map.of("train.batch-size", 32, "train.averaging-frequency", 2));
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        new WorkerQualityBench(conf, 2, 400, List.of(1, 2), false)
                .run(new PrintStream(bytes, true, StandardCharsets.UTF_8));
        ObjectMapper json = new ObjectMapper();
        List<JsonNode> epochs = new ArrayList<>();
        List<JsonNode> summaries = new ArrayList<>();
        for (String l : bytes.toString(StandardCharsets.UTF_8).split("\n")) {
            JsonNode n = json.readTree(l);
            (n.get("case").asText().equals("quality_workers") ? epochs : summaries).add(n);
        }
        assertEquals(4, epochs.size(), epochs.toString());
        assertEquals(List.of(1, 1, 2, 2), epochs.stream().map(n -> n.get("workers").asInt()).toList());
        assertEquals(List.of(1, 2, 1, 2), epochs.stream().map(n -> n.get("epoch").asInt()).toList());
        for (JsonNode n : epochs) {
            assertTrue(n.get("val_mse").asDouble() > 0 && n.get("val_mse").asDouble() < 1, n.toString());
            assertEquals(400, n.get("train_images").asInt());
            assertEquals("local", n.get("spark").asText());
        }
        assertEquals(2, summaries.size(), summaries.toString());
        JsonNode two = summaries.get(1);
        assertEquals(2, two.get("workers").asInt());
        double expected = epochs.get(3).get("val_mse").asDouble() / epochs.get(1).get("val_mse").asDouble();
        assertEquals(expected, two.get("ratio_vs_reference").get(1).asDouble(), 1e-3);
        assertEquals(1.0, summaries.get(0).get("ratio_vs_reference").get(1).asDouble(), 1e-9);
    }
}
