package io.sparkcae.jobs.bench;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import io.sparkcae.core.config.SparkCaeConf;
import io.sparkcae.core.model.CaeModel;
import io.sparkcae.core.model.CaeNetworkBuilder;
import io.sparkcae.core.tensor.PatchShape;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.dataset.DataSet;
import org.nd4j.linalg.factory.Nd4j;

import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

import static io.sparkcae.jobs.bench.TrainBench.medianSeconds;

/**
 * Where the time of one training step and one inference batch goes, for the configured 2D net (1x28x28, the
 * shape of the PyTorch peer) and 3D net (1x16^3): the whole step, the gradient computation alone (so the
 * updater's share is the difference), every layer's forward and backward time, and every ND4J op's time.
 * Prints tables and writes the same figures as JSON, so a speed change can start from a measured breakdown.
 */
public final class ProfileBench {
    private static final ObjectMapper JSON = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);
    private final SparkCaeConf conf;
    private final int trainBatch;
    private final int steps;
    private final Path out;

    public ProfileBench(SparkCaeConf conf, int trainBatch, int steps, Path out) {
        this.conf = conf;
        this.trainBatch = trainBatch;
        this.steps = steps;
        this.out = out;
    }

    public Map<String, Object> run(PrintStream console) throws Exception {
        Map<String, Object> report = new LinkedHashMap<>();
        report.put("machine", MachineInfo.describe());
        List<Map<String, Object>> cases = new ArrayList<>();
        cases.add(training("train_2d", TrainBench.SHAPE, trainBatch, console));
        cases.add(inference("infer_2d", TrainBench.SHAPE, conf.encode().batchSize(), console));
        cases.add(training("train_3d", PatchShape.of(1, 16, 16, 16), 8, console));
        report.put("cases", cases);
        if (out.getParent() != null) {
            Files.createDirectories(out.getParent());
        }
        JSON.writeValue(out.toFile(), report);
        console.println("profile written to " + out.toAbsolutePath());
        return report;
    }

    private Map<String, Object> training(String name, PatchShape shape, int batch, PrintStream console) {
        CaeModel model = new CaeNetworkBuilder(conf.model(), shape).build(conf.train().learningRate(), conf.seed());
        ComputationGraph graph = model.network();
        INDArray x = Nd4j.rand(shape.batchShape(batch));
        DataSet ds = new DataSet(x, x);
        double stepMs = medianSeconds(() -> graph.fit(ds), 3, steps) * 1e3;
        double gradMs = medianSeconds(() -> {
            graph.setInputs(x);
            graph.setLabels(x);
            graph.computeGradientAndScore();
        }, 2, steps) * 1e3;
        List<LayerTimes.Layer> layers = LayerTimes.measure(graph, x, true, 2, steps);
        Map<String, Object> c = header(name, shape, batch, stepMs);
        c.put("gradient_ms", round(gradMs));
        c.put("updater_and_rest_ms", round(stepMs - gradMs));
        c.put("samples_per_s", round(batch / (stepMs / 1e3)));
        c.put("layers", layerRows(layers, stepMs));
        putOps(c, () -> graph.fit(ds));
        print(console, c);
        return c;
    }

    private Map<String, Object> inference(String name, PatchShape shape, int batch, PrintStream console) {
        CaeModel model = new CaeNetworkBuilder(conf.model(), shape).build(conf.train().learningRate(), conf.seed());
        INDArray x = Nd4j.rand(shape.batchShape(batch));
        double stepMs = medianSeconds(() -> model.reconstruct(x), 2, steps) * 1e3;
        List<LayerTimes.Layer> layers = LayerTimes.measure(model.network(), x, false, 2, steps);
        Map<String, Object> c = header(name, shape, batch, stepMs);
        c.put("samples_per_s", round(batch / (stepMs / 1e3)));
        c.put("layers", layerRows(layers, stepMs));
        putOps(c, () -> model.reconstruct(x));
        print(console, c);
        return c;
    }

    /** Runs {@code step} {@code steps} times with ND4J's op timing on; puts the step time it saw and the ops. */
    private void putOps(Map<String, Object> c, Runnable step) {
        Map<String, OpTimes.Total> ops;
        long t0;
        try (OpTimes times = OpTimes.record()) {
            t0 = System.nanoTime();
            for (int i = 0; i < steps; i++) {
                step.run();
            }
            ops = times.totals();
        }
        double profiledStepMs = (System.nanoTime() - t0) / 1e6 / steps;
        c.put("profiled_step_ms", round(profiledStepMs));
        c.put("ops", opRows(ops, steps, profiledStepMs));
    }

    private static Map<String, Object> header(String name, PatchShape shape, int batch, double stepMs) {
        Map<String, Object> c = new LinkedHashMap<>();
        c.put("case", name);
        c.put("shape", shape.toString());
        c.put("batch", batch);
        c.put("step_ms", round(stepMs));
        return c;
    }

    private static List<Map<String, Object>> layerRows(List<LayerTimes.Layer> layers, double stepMs) {
        List<Map<String, Object>> rows = new ArrayList<>();
        for (LayerTimes.Layer l : layers) {
            Map<String, Object> r = new LinkedHashMap<>();
            r.put("layer", l.name());
            r.put("type", l.type());
            r.put("forward_ms", round(l.forwardMs()));
            r.put("backward_ms", round(l.backwardMs()));
            r.put("share_of_step", round((l.forwardMs() + l.backwardMs()) / stepMs));
            rows.add(r);
        }
        return rows;
    }

    private static List<Map<String, Object>> opRows(Map<String, OpTimes.Total> ops, int steps, double stepMs) {
        List<Map<String, Object>> rows = new ArrayList<>();
        ops.forEach((op, t) -> {
            Map<String, Object> r = new LinkedHashMap<>();
            double ms = t.nanos() / 1e6 / steps;
            r.put("op", op);
            r.put("calls_per_step", round((double) t.calls() / steps));
            r.put("ms_per_step", round(ms));
            r.put("share_of_step", round(ms / stepMs));
            rows.add(r);
        });
        rows.sort(Comparator.comparingDouble((Map<String, Object> r) -> (Double) r.get("ms_per_step")).reversed());
        return rows;
    }

    private static void print(PrintStream console, Map<String, Object> c) {
        console.printf(Locale.ROOT, "%n== %s  %s  batch %s: %.2f ms/step (%.0f samples/s)%n", c.get("case"),
                c.get("shape"), c.get("batch"), (Double) c.get("step_ms"), (Double) c.get("samples_per_s"));
        if (c.containsKey("gradient_ms")) {
            console.printf(Locale.ROOT, "   forward+backward %.2f ms, updater and the rest of fit %.2f ms%n",
                    (Double) c.get("gradient_ms"), (Double) c.get("updater_and_rest_ms"));
        }
        console.printf(Locale.ROOT, "   %-14s %-28s %10s %10s %7s%n", "layer", "type", "fwd ms", "bwd ms", "share");
        double layerSum = 0;
        for (Map<String, Object> r : rows(c, "layers")) {
            double f = (Double) r.get("forward_ms");
            double b = (Double) r.get("backward_ms");
            layerSum += f + b;
            console.printf(Locale.ROOT, "   %-14s %-28s %10.2f %10.2f %6.1f%%%n", r.get("layer"), r.get("type"), f, b,
                    100 * (Double) r.get("share_of_step"));
        }
        console.printf(Locale.ROOT, "   %-43s %21.2f ms (layers run one at a time, no workspaces)%n", "sum of layers",
                layerSum);
        console.printf(Locale.ROOT, "   %-30s %8s %10s %7s   (step %.2f ms with the op profiler on)%n", "op",
                "calls", "ms/step", "share", (Double) c.get("profiled_step_ms"));
        double opSum = 0;
        for (Map<String, Object> r : rows(c, "ops")) {
            double ms = (Double) r.get("ms_per_step");
            opSum += ms;
            if (ms >= 0.01) {
                console.printf(Locale.ROOT, "   %-30s %8.1f %10.2f %6.1f%%%n", r.get("op"), (Double) r.get("calls_per_step"),
                        ms, 100 * (Double) r.get("share_of_step"));
            }
        }
        double stepMs = (Double) c.get("profiled_step_ms");
        console.printf(Locale.ROOT, "   %-30s %8s %10.2f %6.1f%%%n", "outside ND4J ops", "", stepMs - opSum,
                100 * (stepMs - opSum) / stepMs);
        console.flush();
    }

    @SuppressWarnings("unchecked")
    private static List<Map<String, Object>> rows(Map<String, Object> c, String key) {
        return (List<Map<String, Object>>) c.get(key);
    }

    private static double round(double v) {
        return Math.round(v * 1000) / 1000.0;
    }
}
