package io.sparkcae.jobs.cluster;

import org.junit.jupiter.api.Test;
import org.nd4j.linalg.factory.Nd4j;

import java.util.LinkedHashMap;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

class SharingEpochReportTest {

    @Test
    void stepsPerSecondSpanTheStepsBetweenTheFirstAndLastIteration() {
        Map<String, SharingExecutorState.Snapshot> executors = new LinkedHashMap<>();
        // 11 iterations: 10 steps between the first one's end and the last one's, in 4 seconds
        executors.put("0", new SharingExecutorState.Snapshot("0", "h:1", 11, 0, 11_000, 100, 11, 4.0,
                new float[]{1, 2}));
        // one iteration spans no step: no rate
        executors.put("1", new SharingExecutorState.Snapshot("1", "h:2", 1, 0, 1_000, 100, 1, 0.0,
                new float[]{1, 2}));
        SharingEpochReport r = SharingEpochReport.of(executors, Nd4j.createFromArray(0f, 0f),
                Nd4j.createFromArray(1f, 2f));
        @SuppressWarnings("unchecked")
        Map<String, Map<String, Object>> per = (Map<String, Map<String, Object>>) r.toMetrics().get("executors");
        assertEquals(2.5, per.get("0").get("steps_per_s"));
        assertEquals(4.0, per.get("0").get("step_span_s"));
        assertEquals(1000L, per.get("0").get("bytes_sent_per_batch"));
        assertFalse(per.get("1").containsKey("steps_per_s"));
        assertEquals(1000.0, r.updateBytesPerIteration());
    }
}
