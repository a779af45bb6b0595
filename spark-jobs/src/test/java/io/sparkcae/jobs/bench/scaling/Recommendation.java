package io.sparkcae.jobs.bench.scaling;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Which mode and setting to choose, read off the projection: per net, compute and link, the fastest
 * configuration at each executor count, then the published figures the projection can be held against.
 */
final class Recommendation {
    private Recommendation() {
    }

    static List<String> of(List<ScalingProjection.Row> projected, ScalingProjection.Calibration cal) {
        List<String> out = new ArrayList<>();
        out.add("recommendation (fastest projected configuration per executor count; efficiency = throughput over"
                + " N plain workers):");
        Map<String, List<ScalingProjection.Row>> groups = new LinkedHashMap<>();
        for (ScalingProjection.Row r : projected) {
            groups.computeIfAbsent(String.format(Locale.ROOT, "%s, %s, %.0f Gbit/s", r.net(), r.hardware(), r.gbit()),
                    k -> new ArrayList<>()).add(r);
        }
        double bestAt128 = 0;
        for (var g : groups.entrySet()) {
            StringBuilder sb = new StringBuilder("  " + g.getKey() + ":");
            Map<Integer, ScalingProjection.Row> best = new java.util.TreeMap<>();
            for (ScalingProjection.Row r : g.getValue()) {
                best.merge(r.workers(), r, (a, b) -> a.imgPerS() >= b.imgPerS() ? a : b);
            }
            for (ScalingProjection.Row r : best.values()) {
                sb.append(String.format(Locale.ROOT, " %d -> %s (%,.0f img/s, %.0f%%);", r.workers(), setting(r),
                        r.imgPerS(), 100 * r.efficiency()));
                if (r.workers() == 128) {
                    bestAt128 = Math.max(bestAt128, r.efficiency());
                }
            }
            out.add(sb.toString());
        }
        ScalingProjection.Row bestSharing = projected.stream().filter(r -> r.mode().equals("sharing") && r.workers() == 128)
                .max(Comparator.comparingDouble(ScalingProjection.Row::efficiency)).orElse(null);
        out.add(String.format(Locale.ROOT, "published: Horovod (ring all-reduce, 25 Gbit RDMA) reports ~90%% scaling"
                + " efficiency at 512 GPUs for Inception V3 and ResNet-101 and 68%% for VGG-16; the best projected"
                + " efficiency here at 128 executors is %.0f%%.", 100 * bestAt128));
        if (bestSharing != null) {
            out.add(String.format(Locale.ROOT, "published: DL4J's documentation puts a threshold-encoded update at about"
                    + " 1e-3..1e-5 of the dense update; measured here (bytes on the wire, headers included): %s"
                    + " (best sharing at 128 executors: %.0f%%).", density(cal), 100 * bestSharing.efficiency()));
        }
        return out;
    }

    private static String setting(ScalingProjection.Row r) {
        return r.mode().equals("averaging") ? "averaging f=" + (int) r.param()
                : String.format(Locale.ROOT, "sharing %.0e", r.param());
    }

    /** Each threshold's update size as a fraction of a dense float32 update (4 bytes per parameter). */
    private static String density(ScalingProjection.Calibration cal) {
        List<String> parts = new ArrayList<>();
        cal.sharingBytesPerParam().forEach((th, perParam) -> parts.add(String.format(Locale.ROOT,
                "threshold %.0e: %.2g of dense", th, perParam / 4)));
        return String.join(", ", parts);
    }
}
