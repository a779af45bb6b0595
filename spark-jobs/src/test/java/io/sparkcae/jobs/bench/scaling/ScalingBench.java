package io.sparkcae.jobs.bench.scaling;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.sparkcae.core.config.SparkCaeConf;
import io.sparkcae.core.error.ExitCode;
import io.sparkcae.core.error.SparkCaeException;
import io.sparkcae.core.model.CaeNetworkBuilder;
import io.sparkcae.core.tensor.PatchShape;
import io.sparkcae.jobs.bench.TrainBench;
import io.sparkcae.jobs.cluster.LoopbackCluster;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.dataset.DataSet;
import org.nd4j.linalg.factory.Nd4j;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.io.PrintStream;
import java.lang.management.ManagementFactory;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;

/**
 * {@code bench scaling}: measures parameter averaging and gradient sharing with 1..4 worker JVMs on a loopback
 * standalone cluster, at several link rates (lo rate-limited with tc inside a network namespace of the
 * bench's own), fits {@link ScalingModel} to the points, prints measured against predicted throughput, and
 * projects the reference nets to 8-128 executors on 10 and 25 Gbit/s links ({@link ScalingProjection}).
 *
 * <p>The measuring runs in a second JVM ({@link ScalingCase}) started under {@code ip netns exec}, so the
 * cluster's traffic, and only it, crosses the shaped interface. Where namespaces cannot be made (not root, no
 * permission) the bench says why in one line and measures the unlimited rate only, without a namespace.
 */
public final class ScalingBench {
    private static final ObjectMapper JSON = new ObjectMapper();
    /** Projection: executor counts, link speeds (Gbit/s), one-way latency and the assumed GPU speed-up. */
    static final List<Integer> PROJECTED_WORKERS = List.of(8, 32, 128);
    static final List<Double> PROJECTED_GBITS = List.of(10.0, 25.0);
    static final double PROJECTED_LATENCY_S = 50e-6;
    static final double ASSUMED_GPU_SPEEDUP = 10;

    /** What to measure; {@code channels} is the narrow net's encoder. */
    public record Options(List<Integer> workers, List<LinkRate> rates, int steps, int batch, List<Integer> frequencies,
                          List<Double> thresholds, List<Integer> channels, Path out, Path points) {
        public Options {
            if (workers.isEmpty() || workers.stream().anyMatch(w -> w < 1 || w > 16)) {
                throw SparkCaeException.usage("bench scaling: --workers takes 1 to 16 worker JVMs per entry, got " + workers);
            }
            if (steps < 4) {
                throw SparkCaeException.usage("bench scaling: --steps must be at least 4, got " + steps);
            }
            if (rates.isEmpty()) {
                throw SparkCaeException.usage("bench scaling: --rates needs at least one rate");
            }
            workers = List.copyOf(workers);
            rates = List.copyOf(rates);
            frequencies = List.copyOf(frequencies);
            thresholds = List.copyOf(thresholds);
            channels = List.copyOf(channels);
        }

        /** Parses {@code --rates} as the user wrote it; a bad spelling is a usage error. */
        public static List<LinkRate> rates(List<String> texts) {
            try {
                return LinkRate.parseAll(texts);
            } catch (IllegalArgumentException e) {
                throw SparkCaeException.usage("bench scaling: --rates: " + e.getMessage());
            }
        }
    }

    private final SparkCaeConf conf;
    private final Options o;

    public ScalingBench(SparkCaeConf conf, Options options) {
        this.conf = conf;
        this.o = options;
    }

    public void run(PrintStream out) throws Exception {
        int cores = Runtime.getRuntime().availableProcessors();
        Map<String, Object> setup = new LinkedHashMap<>();
        setup.put("case", "scaling_setup");
        setup.put("net", "narrow CAE, encoder channels " + o.channels() + ", latent " + conf.model().latentDim()
                + ", 1x28x28, batch " + o.batch());
        setup.put("cores", cores);
        setup.put("loadavg_at_start", loadAverage()); // another busy process on the machine shows here
        setup.put("note", "every worker JVM, the driver and the Spark daemons share these " + cores + " cores: per-batch"
                + " compute grows with the worker count, so each point's own measured compute time is the model's input");
        out.println(JSON.writeValueAsString(setup));
        List<ScalingProjection.Net> nets;
        List<Map<String, Object>> raw;
        List<LinkRate> rates;
        String[] why = new String[1];
        if (o.points() != null) {
            // fit and print from the lines an earlier run printed (its reference nets and points), measuring nothing
            nets = new ArrayList<>();
            raw = new ArrayList<>();
            for (String line : Files.readAllLines(o.points())) {
                if (!line.startsWith("{")) {
                    continue;
                }
                @SuppressWarnings("unchecked")
                Map<String, Object> m = JSON.readValue(line, Map.class);
                if ("scaling_reference_net".equals(m.get("case"))) {
                    nets.addAll(netPair((String) m.get("net"), (long) num(m, "params"), (int) num(m, "batch"),
                            num(m, "step_s"), num(m, "compute_s")));
                } else if (ScalingCase.POINT.equals(m.get("case"))) {
                    m.remove("executors");
                    raw.add(m);
                }
            }
            if (raw.isEmpty() || nets.isEmpty()) {
                throw SparkCaeException.usage("bench scaling: --points " + o.points() + " holds no scaling_point or no"
                        + " scaling_reference_net lines");
            }
            rates = raw.stream().map(m -> String.valueOf(m.get("rate"))).distinct().map(LinkRate::parse).toList();
            out.println("scaling: " + raw.size() + " points read from " + o.points() + " (nothing measured)");
        } else {
            nets = referenceNets(out);
            LoopbackNamespace ns = o.rates().stream().anyMatch(LinkRate::limited) ? LoopbackNamespace.create(why) : null;
            rates = measurable(o.rates(), ns == null ? why[0] : null, out);
            try {
                raw = measure(out, ns, rates);
            } finally {
                if (ns != null) {
                    ns.close();
                }
            }
            out.println("scaling: load average after measuring: " + loadAverage());
        }
        List<ScalingModel.Point> points = new ArrayList<>();
        for (Map<String, Object> m : raw) {
            points.add(point(m));
        }
        ScalingModel model = ScalingModel.fit(points);
        ScalingModel.Constants k = model.constants();
        out.println();
        out.printf(Locale.ROOT, "fitted: averaging a = %.4f s, b = %.4f s per worker, g = %.2f steps, c = %.3f;"
                + " sharing e0 = %.4f s, e1 = %.4f s per peer%n", k.a(), k.b(), k.g(), k.c(), k.e0(), k.e1());
        out.println();
        List<Map<String, Object>> table = measuredTable(out, points, raw, model);

        ScalingProjection.Calibration cal = calibration(raw);
        List<ScalingProjection.Row> projected = new ScalingProjection(k, cal, PROJECTED_LATENCY_S)
                .project(nets, PROJECTED_WORKERS, PROJECTED_GBITS, o.frequencies(), o.thresholds());
        out.println();
        projectionTable(out, projected);
        out.println();
        List<String> advice = Recommendation.of(projected, cal);
        advice.forEach(out::println);

        Map<String, Object> doc = new LinkedHashMap<>();
        doc.put("setup", setup);
        doc.put("options", Map.of("workers", o.workers(), "rates", rates.stream().map(LinkRate::label).toList(),
                "steps", o.steps(), "batch", o.batch(), "frequencies", o.frequencies(), "thresholds", o.thresholds()));
        doc.put("namespace_skipped", why[0]);
        doc.put("points", raw);
        doc.put("constants", k);
        doc.put("measured_vs_predicted", table);
        doc.put("calibration", cal);
        doc.put("reference_nets", nets);
        doc.put("projection", projected);
        doc.put("recommendation", advice);
        JSON.writerWithDefaultPrettyPrinter().writeValue(o.out().toFile(), doc);
        out.println("scaling: wrote " + o.out());
    }

    /**
     * The rates that can be measured: all of them with a namespace; without one ({@code skipReason} says why)
     * the unlimited rate only, after one line naming the reason.
     */
    static List<LinkRate> measurable(List<LinkRate> rates, String skipReason, PrintStream out) {
        if (skipReason == null || rates.stream().noneMatch(LinkRate::limited)) {
            return List.copyOf(rates);
        }
        out.println("scaling: shaped rates skipped: " + skipReason);
        return List.of(LinkRate.UNLIMITED);
    }

    /** Plain fit steps of the nets projected: the reference 2D net at the configured batch, the 3D net at 8. */
    private List<ScalingProjection.Net> referenceNets(PrintStream out) throws Exception {
        List<ScalingProjection.Net> nets = new ArrayList<>();
        Object[][] cases = {{"2D reference", PatchShape.of(1, 28, 28), conf.train().batchSize()},
                {"3D", PatchShape.of(1, 16, 16, 16), 8}};
        for (Object[] c : cases) {
            PatchShape shape = (PatchShape) c[1];
            int batch = (Integer) c[2];
            ComputationGraph net = new CaeNetworkBuilder(conf.model(), shape).build(conf.train().learningRate(), conf.seed())
                    .network();
            INDArray x = Nd4j.rand(shape.batchShape(batch));
            DataSet ds = new DataSet(x, x);
            // the step time without any listener (as plain training runs), then its forward+backward share
            // from a few steps with the timing listener
            double step = TrainBench.medianSeconds(() -> net.fit(ds), 5, 15);
            net.setListeners(new FitStepTimes());
            FitStepTimes.snapshotAndReset();
            for (int i = 0; i < 6; i++) {
                net.fit(ds);
            }
            FitStepTimes.Totals timed = FitStepTimes.snapshotAndReset();
            double computeShare = timed.meanGrad() / timed.meanStep();
            FitStepTimes.Totals t = new FitStepTimes.Totals(1, step, step * computeShare, 0, 0, 0, 0, 0);
            String name = (String) c[0] + " " + shape;
            nets.addAll(netPair(name, net.numParams(), batch, t.meanStep(), t.meanGrad()));
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("case", "scaling_reference_net");
            m.put("net", name);
            m.put("params", net.numParams());
            m.put("batch", batch);
            m.put("step_s", ScalingCase.round(t.meanStep(), 5));
            m.put("compute_s", ScalingCase.round(t.meanGrad(), 5));
            out.println(JSON.writeValueAsString(m));
        }
        return nets;
    }

    /** A net measured on this CPU, and the same net at the assumed GPU speed. */
    static List<ScalingProjection.Net> netPair(String name, long params, int batch, double step, double compute) {
        return List.of(new ScalingProjection.Net(name, params, batch, step, compute, "CPU (measured)"),
                new ScalingProjection.Net(name, params, batch, step / ASSUMED_GPU_SPEEDUP, compute / ASSUMED_GPU_SPEEDUP,
                        "GPU (assumed " + (int) ASSUMED_GPU_SPEEDUP + "x CPU)"));
    }

    /** Runs {@link ScalingCase} (inside the namespace when there is one) and collects its points. */
    private List<Map<String, Object>> measure(PrintStream out, LoopbackNamespace ns, List<LinkRate> rates) throws Exception {
        List<String> cmd = new ArrayList<>();
        if (ns != null) {
            cmd.addAll(ns.execPrefix());
        }
        cmd.add(LoopbackCluster.javaBin());
        cmd.addAll(ManagementFactory.getRuntimeMXBean().getInputArguments());
        cmd.addAll(List.of("-cp", System.getProperty("java.class.path"), ScalingCase.class.getName(),
                "--workers", join(o.workers()), "--rates", String.join(",", rates.stream().map(LinkRate::label).toList()),
                "--steps", String.valueOf(o.steps()), "--batch", String.valueOf(o.batch()),
                "--frequencies", join(o.frequencies()), "--thresholds", join(o.thresholds()),
                "--channels", join(o.channels())));
        if (ns != null) {
            cmd.addAll(List.of("--netns", ns.name()));
        }
        Path log = Files.createTempFile("sparkcae-bench-scaling-", ".log");
        out.println("scaling: measuring in " + (ns != null ? "network namespace " + ns.name() : "this machine's network")
                + " (log: " + log + ")");
        Process p = new ProcessBuilder(cmd).redirectError(log.toFile()).start();
        List<Map<String, Object>> points = new ArrayList<>();
        try (BufferedReader r = new BufferedReader(new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8))) {
            for (String line = r.readLine(); line != null; line = r.readLine()) {
                if (line.startsWith("{") && line.contains("\"" + ScalingCase.POINT + "\"")) {
                    @SuppressWarnings("unchecked")
                    Map<String, Object> m = JSON.readValue(line, Map.class);
                    m.remove("executors");
                    points.add(m);
                    out.println(JSON.writeValueAsString(m));
                }
            }
        }
        int rc = p.waitFor();
        if (rc != 0) {
            List<String> lines = Files.readAllLines(log);
            lines.subList(Math.max(0, lines.size() - 30), lines.size()).forEach(System.err::println);
            throw new SparkCaeException(ExitCode.INFRASTRUCTURE, "bench scaling: the measuring JVM failed (exit " + rc
                    + "); see " + log);
        }
        Files.deleteIfExists(log);
        return points;
    }

    static ScalingModel.Point point(Map<String, Object> m) {
        boolean avg = "averaging".equals(m.get("mode"));
        Object bps = m.get("rate_bps");
        double rate = bps instanceof Number n ? n.doubleValue() / 8 : Double.POSITIVE_INFINITY;
        double step = num(m, "step_s");
        double compute = num(m, "compute_s");
        return new ScalingModel.Point(avg ? ScalingModel.Mode.AVERAGING : ScalingModel.Mode.SHARING, num(m, "param"),
                (int) num(m, "workers"), avg ? (int) num(m, "averaging_frequency") : 1, String.valueOf(m.get("rate")),
                rate, (int) num(m, "batch"), step, compute, num(m, avg ? "round_s" : "iteration_s"),
                num(m, avg ? "bytes_per_round" : "bytes_per_iteration"));
    }

    static double num(Map<String, Object> m, String key) {
        return m.get(key) instanceof Number n ? n.doubleValue() : Double.NaN;
    }

    private List<Map<String, Object>> measuredTable(PrintStream out, List<ScalingModel.Point> points,
                                                    List<Map<String, Object>> raw, ScalingModel model) {
        out.println("| mode | f / threshold | workers | rate | measured img/s | predicted img/s | error % | bytes / iteration"
                + " | step ms | compute ms |");
        out.println("|---|---|---|---|---|---|---|---|---|---|");
        List<Map<String, Object>> rows = new ArrayList<>();
        for (ScalingModel.Point p : points) {
            double perIteration = p.mode() == ScalingModel.Mode.AVERAGING ? p.bytes() / p.frequency() : p.bytes();
            out.printf(Locale.ROOT, "| %s | %s | %d | %s | %.1f | %.1f | %+.1f | %,.0f | %.1f | %.1f |%n",
                    p.mode().name().toLowerCase(Locale.ROOT), param(p.mode(), p.param()), p.workers(), p.rate(),
                    p.measuredImgPerS(), model.predictImgPerS(p), model.errorPercent(p), perIteration,
                    p.stepSeconds() * 1e3, p.computeSeconds() * 1e3);
            Map<String, Object> row = new LinkedHashMap<>();
            row.put("mode", p.mode().name().toLowerCase(Locale.ROOT));
            row.put("param", p.param());
            row.put("workers", p.workers());
            row.put("rate", p.rate());
            row.put("measured_img_per_s", ScalingCase.round(p.measuredImgPerS(), 1));
            row.put("predicted_img_per_s", ScalingCase.round(model.predictImgPerS(p), 1));
            row.put("error_percent", ScalingCase.round(model.errorPercent(p), 1));
            row.put("bytes_per_iteration", Math.round(perIteration));
            rows.add(row);
        }
        double worst = points.stream().mapToDouble(p -> Math.abs(model.errorPercent(p))).max().orElse(Double.NaN);
        out.printf(Locale.ROOT, "largest error: %.1f%% over %d points%n", worst, points.size());
        return rows;
    }

    private static void projectionTable(PrintStream out, List<ScalingProjection.Row> rows) {
        out.println("| net | compute | link | mode | f / threshold | 8 executors img/s (eff.) | 32 | 128 |");
        out.println("|---|---|---|---|---|---|---|---|");
        Map<String, List<ScalingProjection.Row>> grouped = new LinkedHashMap<>();
        for (ScalingProjection.Row r : rows) {
            grouped.computeIfAbsent(r.net() + "|" + r.hardware() + "|" + r.gbit() + "|" + r.mode() + "|" + r.param(),
                    x -> new ArrayList<>()).add(r);
        }
        for (List<ScalingProjection.Row> g : grouped.values()) {
            ScalingProjection.Row f = g.get(0);
            StringBuilder sb = new StringBuilder(String.format(Locale.ROOT, "| %s | %s | %.0f Gbit/s | %s | %s |", f.net(),
                    f.hardware(), f.gbit(), f.mode(), param(
                            "averaging".equals(f.mode()) ? ScalingModel.Mode.AVERAGING : ScalingModel.Mode.SHARING, f.param())));
            Map<Integer, ScalingProjection.Row> byN = new TreeMap<>();
            g.forEach(r -> byN.put(r.workers(), r));
            for (ScalingProjection.Row r : byN.values()) {
                sb.append(String.format(Locale.ROOT, " %,.0f (%.0f%%) |", r.imgPerS(), 100 * r.efficiency()));
            }
            out.println(sb);
        }
    }

    /** Per-parameter bytes of the measured net: averaging's per executor and round, sharing's per update. */
    static ScalingProjection.Calibration calibration(List<Map<String, Object>> raw) {
        long params = 0;
        double avgSum = 0;
        int avgCount = 0;
        Map<Double, double[]> sharing = new TreeMap<>();
        for (Map<String, Object> m : raw) {
            params = (long) num(m, "params");
            if ("averaging".equals(m.get("mode"))) {
                double b = num(m, "broadcast_bytes_per_executor_round") + num(m, "result_bytes_per_executor_round");
                if (Double.isFinite(b) && b > 0) {
                    avgSum += b / params;
                    avgCount++;
                }
            } else {
                double s = num(m, "sent_bytes_per_executor_iteration");
                if (Double.isFinite(s) && s > 0) {
                    double[] acc = sharing.computeIfAbsent(num(m, "param"), x -> new double[2]);
                    acc[0] += s / params;
                    acc[1]++;
                }
            }
        }
        Map<Double, Double> perParam = new TreeMap<>();
        sharing.forEach((th, acc) -> perParam.put(th, acc[0] / acc[1]));
        return new ScalingProjection.Calibration(params, avgCount == 0 ? 0 : avgSum / avgCount, perParam);
    }

    static String param(ScalingModel.Mode mode, double v) {
        return mode == ScalingModel.Mode.AVERAGING ? String.valueOf((int) v) : String.format(Locale.ROOT, "%.0e", v);
    }

    private static String loadAverage() {
        try {
            return Files.readString(Path.of("/proc/loadavg")).strip();
        } catch (java.io.IOException | RuntimeException e) {
            return "unknown";
        }
    }

    private static String join(List<?> values) {
        return String.join(",", values.stream().map(String::valueOf).toList());
    }
}
