package io.sparkcae.jobs.bench;

import org.junit.jupiter.api.Test;

import java.util.LinkedHashMap;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

class ClusterTrainBenchTest {

    @Test
    void theSteadyRateSumsTheExecutorsAndTheRestOfThePassIsOutsideTheSteps() {
        Map<String, Object> executors = new LinkedHashMap<>();
        executors.put("0", Map.of("steps_per_s", 2.0, "step_span_s", 10.0));
        executors.put("1", Map.of("steps_per_s", 3.0, "step_span_s", 12.0));
        Map<String, Object> m = new LinkedHashMap<>();
        ClusterTrainBench.steadyState(m, Map.of("executors", executors), 128, 15.0);
        assertEquals(640.0, m.get("steady_img_per_s"));
        assertEquals(3.0, m.get("outside_steps_s"));
    }

    @Test
    void noRateWithoutTimedSteps() {
        Map<String, Object> m = new LinkedHashMap<>();
        ClusterTrainBench.steadyState(m, Map.of("executors", Map.of("0", Map.of("batches", 1L))), 128, 15.0);
        assertFalse(m.containsKey("steady_img_per_s"));
    }
}
