package io.sparkcae.jobs.bench;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.sparkcae.core.config.SparkCaeConf;
import io.sparkcae.core.model.CaeNetworkBuilder;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.Set;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

class ProfileBenchTest {
    @TempDir
    Path dir;

    @Test
    void everyLayerAndTheOpsOfEachCaseAreInTheProfile() throws Exception {
        SparkCaeConf conf = SparkCaeConf.defaults();
        Path out = dir.resolve("profile.json");
        ByteArrayOutputStream console = new ByteArrayOutputStream();
        new ProfileBench(conf, 8, 2, out).run(new PrintStream(console, true, StandardCharsets.UTF_8));

        JsonNode report = new ObjectMapper().readTree(out.toFile());
        assertTrue(report.path("machine").path("cores").asInt() > 0, report.path("machine").toString());
        JsonNode cases = report.path("cases");
        assertEquals(3, cases.size());
        ComputationGraph net = new CaeNetworkBuilder(conf.model(), TrainBench.SHAPE).build(0.001, 1).network();
        Set<String> expected = new HashSet<>();
        for (var v : net.getVertices()) {
            if (!v.isInputVertex()) {
                expected.add(v.getVertexName());
            }
        }
        for (JsonNode c : cases) {
            String name = c.path("case").asText();
            boolean training = name.startsWith("train");
            Set<String> layers = new HashSet<>();
            double layerMs = 0;
            for (JsonNode l : c.path("layers")) {
                layers.add(l.path("layer").asText());
                layerMs += l.path("forward_ms").asDouble() + l.path("backward_ms").asDouble();
                if (!training) {
                    assertEquals(0.0, l.path("backward_ms").asDouble(), name + " has no backward pass");
                }
            }
            if (name.endsWith("2d")) {
                assertEquals(expected, layers, name);
            }
            assertTrue(layerMs > 0, name + ": layers took no time");
            double opMs = 0;
            for (JsonNode o : c.path("ops")) {
                opMs += o.path("ms_per_step").asDouble();
            }
            assertTrue(c.path("ops").size() > 3, name + ": " + c.path("ops"));
            // Ops run inside the step, one at a time: their sum cannot exceed the step they were timed in.
            assertTrue(opMs > 0 && opMs <= c.path("profiled_step_ms").asDouble() * 1.01,
                    name + ": ops " + opMs + " ms vs step " + c.path("profiled_step_ms"));
            if (training) {
                assertTrue(c.path("gradient_ms").asDouble() > 0, name);
            }
        }
        String printed = console.toString(StandardCharsets.UTF_8);
        assertTrue(printed.contains("== train_2d") && printed.contains("outside ND4J ops"), printed);
    }
}
