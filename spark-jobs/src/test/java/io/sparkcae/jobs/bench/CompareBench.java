package io.sparkcae.jobs.bench;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.sparkcae.core.config.SparkCaeConf;
import io.sparkcae.core.model.CaeModel;
import io.sparkcae.core.model.CaeNetworkBuilder;
import io.sparkcae.core.tensor.PatchShape;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.dataset.DataSet;
import org.nd4j.linalg.factory.Nd4j;

import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import static io.sparkcae.jobs.bench.TrainBench.medianSeconds;

/**
 * Side-by-side throughput of sparkcae (plain DL4J in this JVM) and the PyTorch peer benchmark on the same net,
 * 2D (1x28x28, training batch 128, inference batch 512) and 3D (1x16^3, batch 8 / 64): our cases and the
 * peer run alternately, {@code pairs} times, and the table shows medians and their ratio, under the machine's
 * CPU model and flags. Without PyTorch the table says so instead of a ratio.
 */
public final class CompareBench {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String[] METRICS = {"train_img_per_s", "reconstruct_img_per_s", "encode_img_per_s"};

    /** One shape's settings, shared by both sides. */
    private record Case(String name, PatchShape shape, int trainBatch, int inferBatch, List<String> peerArgs) {
    }

    private final SparkCaeConf conf;
    private final int pairs;
    private final int reps;
    private final Path peerScript;
    private final String python;

    public CompareBench(SparkCaeConf conf, int pairs, int reps, Path peerScript, String python) {
        this.conf = conf;
        this.pairs = pairs;
        this.reps = reps;
        this.peerScript = peerScript;
        this.python = python;
    }

    public Map<String, Object> run(PrintStream out) throws Exception {
        int threads = Runtime.getRuntime().availableProcessors();
        List<Case> cases = List.of(
                new Case("2d", TrainBench.SHAPE, 128, 512, List.of()),
                new Case("3d", PatchShape.of(1, 16, 16, 16), 8, 64,
                        List.of("--dims", "3", "--side", "16", "--batch", "8", "--infer-batch", "64")));
        String peerProblem = peerProblem();
        Map<String, List<Map<String, Double>>> ours = new LinkedHashMap<>();
        Map<String, List<Map<String, Double>>> peer = new LinkedHashMap<>();
        for (int p = 0; p < pairs; p++) {
            for (Case c : cases) {
                Map<String, Double> o = measureOurs(c);
                ours.computeIfAbsent(c.name(), k -> new ArrayList<>()).add(o);
                out.println(JSON.writeValueAsString(Map.of("pair", p + 1, "side", "sparkcae", "case", c.name(), "figures", o)));
                if (peerProblem == null) {
                    try {
                        Map<String, Double> t = measurePeer(c, threads);
                        peer.computeIfAbsent(c.name(), k -> new ArrayList<>()).add(t);
                        out.println(JSON.writeValueAsString(Map.of("pair", p + 1, "side", "pytorch", "case", c.name(), "figures", t)));
                    } catch (IOException e) {
                        peerProblem = e.getMessage();
                    }
                }
            }
        }
        Map<String, Object> machine = MachineInfo.describe();
        out.printf(Locale.ROOT, "%nmachine: %s, %s cores, flags: %s%n", machine.get("cpu_model"), machine.get("cores"),
                machine.get("cpu_flags"));
        out.printf(Locale.ROOT, "kernels capped: %s%n", machine.get("cpu_isa_cap"));
        out.printf(Locale.ROOT, "medians of %d alternating pairs; images/s%n", pairs);
        out.printf(Locale.ROOT, "%-34s %12s %12s %8s%n", "case", "sparkcae", "pytorch", "ratio");
        Map<String, Object> result = new LinkedHashMap<>();
        result.put("machine", machine);
        for (Case c : cases) {
            for (String metric : METRICS) {
                double mine = median(ours.get(c.name()), metric);
                String label = c.name() + " " + metric.replace("_img_per_s", "") + ", batch "
                        + (metric.startsWith("train") ? c.trainBatch() : c.inferBatch());
                if (peerProblem == null) {
                    double theirs = median(peer.get(c.name()), metric);
                    out.printf(Locale.ROOT, "%-34s %12.1f %12.1f %7.2fx%n", label, mine, theirs, mine / theirs);
                    result.put(c.name() + "_" + metric + "_ratio", Math.round(mine / theirs * 100) / 100.0);
                } else {
                    out.printf(Locale.ROOT, "%-34s %12.1f %12s %8s%n", label, mine, "-", "-");
                }
                result.put(c.name() + "_" + metric, mine);
            }
        }
        if (peerProblem != null) {
            out.println("peer not measured: " + peerProblem);
        }
        out.flush();
        return result;
    }

    private Map<String, Double> measureOurs(Case c) {
        CaeModel model = new CaeNetworkBuilder(conf.model(), c.shape()).build(conf.train().learningRate(), conf.seed());
        INDArray x = Nd4j.rand(c.shape().batchShape(c.trainBatch()));
        DataSet ds = new DataSet(x, x);
        Map<String, Double> m = new LinkedHashMap<>();
        m.put("train_img_per_s", round(c.trainBatch() / medianSeconds(() -> model.network().fit(ds), 3, reps)));
        INDArray xi = Nd4j.rand(c.shape().batchShape(c.inferBatch()));
        int inferReps = Math.max(5, reps / 2);
        m.put("reconstruct_img_per_s", round(c.inferBatch() / medianSeconds(() -> model.reconstruct(xi), 2, inferReps)));
        m.put("encode_img_per_s", round(c.inferBatch() / medianSeconds(() -> model.encode(xi), 2, inferReps)));
        return m;
    }

    private Map<String, Double> measurePeer(Case c, int threads) throws IOException, InterruptedException {
        List<String> cmd = new ArrayList<>(List.of(python, peerScript.toString(), "--threads", String.valueOf(threads),
                "--reps", String.valueOf(reps)));
        cmd.addAll(c.peerArgs());
        ProcessBuilder pb = new ProcessBuilder(cmd).redirectErrorStream(true);
        // The peer's documented setting: one OpenBLAS thread, intra-op threads from torch.
        pb.environment().put("OPENBLAS_NUM_THREADS", "1");
        if ("avx2".equals(System.getenv("SPARKCAE_CPU_ISA"))) {
            // ATen's own kernels too (its oneDNN and OpenBLAS read the caps the launcher exported)
            pb.environment().put("ATEN_CPU_CAPABILITY", "avx2");
        }
        Process proc = pb.start();
        String text = new String(proc.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        if (!proc.waitFor(10, TimeUnit.MINUTES) || proc.exitValue() != 0) {
            String[] lines = text.strip().split("\n");
            String hint = text.contains("No module named 'torch'") ? " (Debian: apt-get install -y python3-torch)" : "";
            throw new IOException(String.join(" ", cmd) + " failed: " + lines[lines.length - 1] + hint);
        }
        String last = Arrays.stream(text.split("\n")).filter(l -> l.startsWith("{")).reduce((a, b) -> b)
                .orElseThrow(() -> new IOException("peer printed no JSON line: " + text));
        JsonNode j = JSON.readTree(last);
        Map<String, Double> m = new LinkedHashMap<>();
        for (String metric : METRICS) {
            m.put(metric, j.path(metric).asDouble());
        }
        return m;
    }

    /** Why the peer cannot run here, or null when it may. */
    private String peerProblem() {
        if (peerScript == null || !Files.isRegularFile(peerScript)) {
            return "no peer script at " + peerScript + " (--peer FILE)";
        }
        return null;
    }

    private static double median(List<Map<String, Double>> runs, String metric) {
        double[] v = runs.stream().mapToDouble(r -> r.get(metric)).sorted().toArray();
        return v[v.length / 2];
    }

    private static double round(double v) {
        return Math.round(v * 10) / 10.0;
    }
}
