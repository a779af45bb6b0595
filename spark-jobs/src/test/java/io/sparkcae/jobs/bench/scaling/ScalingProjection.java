package io.sparkcae.jobs.bench.scaling;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * The fitted {@link ScalingModel} carried to other nets, executor counts and links. What carries over and how:
 * <ul>
 *   <li>bytes: averaging moves parameters and updater state, measured as {@code averagingBytesPerParam} per
 *   executor and round (broadcast plus result); a sharing update is {@code sharingBytesPerParam} per
 *   parameter (DL4J's adaptive threshold keeps the update's density in a fixed band, so the per-parameter
 *   size carries over to larger nets);</li>
 *   <li>the driver's per-result cost b, and sharing's e0 and e1, grow with the parameter count (they
 *   deserialise, add, encode or apply arrays of that size); a does not;</li>
 *   <li>sharing's mesh: DL4J's tree gives each node at most 8 downstream links, so the busiest link carries
 *   every worker's update to up to min(N, 9) neighbours per iteration: {@code m * N * min(N, 9)} bytes (on the
 *   loopback star of up to 4 workers this is the measured N^2 * m);</li>
 *   <li>averaging puts all N results and broadcasts through the driver's link, as on the loopback (Spark's
 *   torrent broadcast and tree aggregation would relieve it, so this side is conservative);</li>
 *   <li>latency adds 4 round trips per averaging round (job, broadcast, result, next launch); sharing sends
 *   without waiting, so it adds nothing there.</li>
 * </ul>
 */
public final class ScalingProjection {
    /** A net and the compute time of one batch on the hardware projected (measured or assumed). */
    public record Net(String name, long params, int batch, double stepSeconds, double computeSeconds, String hardware) {
    }

    /** What the measurements say per parameter, from the measured net of {@code params} parameters. */
    public record Calibration(long params, double averagingBytesPerParam, Map<Double, Double> sharingBytesPerParam) {
    }

    /** One projected case. */
    public record Row(String net, String hardware, String mode, double param, int workers, double gbit,
                      double imgPerS, double efficiency, double bytesPerIteration) {
    }

    private final ScalingModel.Constants k;
    private final Calibration cal;
    private final double latencySeconds;

    public ScalingProjection(ScalingModel.Constants k, Calibration cal, double latencySeconds) {
        this.k = k;
        this.cal = cal;
        this.latencySeconds = latencySeconds;
    }

    public List<Row> project(List<Net> nets, List<Integer> workers, List<Double> gbits, List<Integer> frequencies,
                             List<Double> thresholds) {
        List<Row> rows = new ArrayList<>();
        for (Net net : nets) {
            double scale = (double) net.params() / cal.params();
            double ideal = net.batch() / net.stepSeconds(); // one worker's plain fit steps, no distribution
            for (double gbit : gbits) {
                double bps = gbit * 1e9 / 8;
                for (int n : workers) {
                    for (int f : frequencies) {
                        double bytes = n * cal.averagingBytesPerParam() * net.params();
                        double t = (f + k.g()) * net.stepSeconds() + k.a() + k.b() * scale * n + k.c() * bytes / bps
                                + 4 * latencySeconds;
                        double x = (double) n * f * net.batch() / t;
                        rows.add(new Row(net.name(), net.hardware(), "averaging", f, n, gbit, x, x / (n * ideal), bytes / f));
                    }
                    for (double th : thresholds) {
                        Double perParam = cal.sharingBytesPerParam().get(th);
                        if (perParam == null) {
                            continue;
                        }
                        double m = perParam * net.params();
                        double bytes = m * n * Math.min(n, 9);
                        double t = Math.max(net.computeSeconds() + (k.e0() + k.e1() * (n - 1)) * scale,
                                k.c() * bytes / bps);
                        double x = (double) n * net.batch() / t;
                        rows.add(new Row(net.name(), net.hardware(), "sharing", th, n, gbit, x, x / (n * ideal), bytes));
                    }
                }
            }
        }
        return rows;
    }
}
