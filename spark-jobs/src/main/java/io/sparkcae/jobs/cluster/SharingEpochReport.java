package io.sparkcae.jobs.cluster;

import org.nd4j.linalg.api.ndarray.INDArray;

import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;

/**
 * One gradient-sharing epoch as users see it (metrics.jsonl and the log): per executor the update messages
 * and Aeron bytes it sent and received, its mini-batches, bytes sent per mini-batch, and how far its
 * parameters ended from the driver's, relative to how far the driver's moved in the epoch
 * ({@code param_divergence}: 0 = identical; independent, non-communicating replicas land near 1 or above),
 * and its training steps per second between its first and last iteration ({@code steps_per_s}, over
 * {@code step_span_s}): the epoch's time outside that span is setup and teardown, not training.
 */
public record SharingEpochReport(Map<String, SharingExecutorState.Snapshot> executors, Map<String, Double> divergence) {

    public static SharingEpochReport of(Map<String, SharingExecutorState.Snapshot> executors, INDArray before,
                                        INDArray after) {
        Map<String, Double> div = new LinkedHashMap<>();
        double moved = after.distance2(before);
        float[] driver = after.toFloatVector();
        for (var e : executors.entrySet()) {
            float[] p = e.getValue().params();
            if (p.length != driver.length) {
                div.put(e.getKey(), Double.NaN);
                continue;
            }
            double sq = 0;
            for (int i = 0; i < p.length; i++) {
                double d = p[i] - driver[i];
                sq += d * d;
            }
            div.put(e.getKey(), Math.sqrt(sq) / Math.max(moved, 1e-12));
        }
        return new SharingEpochReport(executors, div);
    }

    /** Sent bytes of all executors over their mini-batches: the network cost of one training iteration. */
    public double updateBytesPerIteration() {
        long bytes = 0;
        long batches = 0;
        for (SharingExecutorState.Snapshot s : executors.values()) {
            bytes += Math.max(0, s.bytesSent());
            batches += s.batches();
        }
        return batches == 0 ? Double.NaN : (double) bytes / batches;
    }

    public Map<String, Object> toMetrics() {
        Map<String, Object> per = new LinkedHashMap<>();
        for (var e : executors.entrySet()) {
            SharingExecutorState.Snapshot s = e.getValue();
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("updates_sent", s.updatesSent());
            m.put("updates_received", s.updatesReceived());
            m.put("bytes_sent", s.bytesSent());
            m.put("bytes_received", s.bytesReceived());
            m.put("batches", s.batches());
            if (s.batches() > 0) {
                m.put("bytes_sent_per_batch", Math.round((double) s.bytesSent() / s.batches()));
            }
            if (s.batches() > 1 && s.stepSpanSeconds() > 0) {
                m.put("step_span_s", Math.round(s.stepSpanSeconds() * 1000) / 1000.0);
                m.put("steps_per_s", Math.round((s.batches() - 1) / s.stepSpanSeconds() * 100) / 100.0);
            }
            double d = round4(divergence.get(e.getKey()));
            if (Double.isFinite(d)) {
                m.put("param_divergence", d);
            }
            per.put(e.getKey(), m);
        }
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("executors", per);
        double perIteration = updateBytesPerIteration();
        if (!Double.isNaN(perIteration)) {
            out.put("update_bytes_per_iteration", Math.round(perIteration));
        }
        return out;
    }

    public String toLogLine() {
        StringBuilder sb = new StringBuilder("gradient sharing:");
        for (var e : executors.entrySet()) {
            SharingExecutorState.Snapshot s = e.getValue();
            sb.append(String.format(Locale.ROOT,
                    " executor %s sent %d updates (%d B), received %d (%d B), %d batches, param divergence %.4f;",
                    e.getKey(), s.updatesSent(), s.bytesSent(), s.updatesReceived(), s.bytesReceived(), s.batches(),
                    divergence.get(e.getKey())));
        }
        sb.append(String.format(Locale.ROOT, " %.0f update bytes per iteration", updateBytesPerIteration()));
        return sb.toString();
    }

    private static double round4(Double v) {
        return v == null || v.isNaN() ? Double.NaN : Math.round(v * 1e4) / 1e4;
    }
}
