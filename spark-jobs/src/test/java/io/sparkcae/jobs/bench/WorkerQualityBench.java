package io.sparkcae.jobs.bench;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.sparkcae.core.config.SparkCaeConf;
import io.sparkcae.jobs.cluster.LoopbackCluster;
import io.sparkcae.jobs.common.IfExists;
import io.sparkcae.jobs.common.SparkSessionFactory;
import io.sparkcae.jobs.common.StageContext;
import io.sparkcae.jobs.prep.PrepJob;
import io.sparkcae.jobs.testing.FashionMnistSlice;
import io.sparkcae.jobs.testing.StageDirs;
import io.sparkcae.jobs.train.TrainJob;
import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.sql.SparkSession;

import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Training quality against the number of workers under parameter averaging: the configured model (the default
 * CAE unless --config/--set say otherwise) trained on Fashion-MNIST for the same epochs at the same batch size
 * with each worker count in turn, in Spark local mode or, with {@code cluster}, on a {@link LoopbackCluster}
 * with one worker JVM per training worker. Prints one JSON line per worker count and epoch (val MSE, epoch
 * seconds), then one summary line per worker count with its val MSE over the first count's at every epoch.
 * Prep runs once (in local mode) on the first {@code rows} training images (0 = all 60,000); every worker count
 * trains in its own sub-run reading that prep output, from the same initial parameters (the config's seed).
 */
public final class WorkerQualityBench {
    private static final ObjectMapper JSON = new ObjectMapper();
    static final int TEST_IMAGES = 10_000;
    private static final int ALL_TRAIN_IMAGES = 60_000;

    private final SparkCaeConf conf;
    private final int epochs;
    private final int rows;
    private final List<Integer> workerCounts;
    private final boolean cluster;

    /**
     * @param rows    training images taken from the start of Fashion-MNIST's train set (0 = all)
     * @param cluster train on a loopback standalone cluster, one worker JVM per training worker
     */
    public WorkerQualityBench(SparkCaeConf conf, int epochs, int rows, List<Integer> workerCounts, boolean cluster) {
        if (workerCounts.isEmpty() || workerCounts.stream().anyMatch(w -> w < 1)) {
            throw new IllegalArgumentException("worker counts must be at least 1, got " + workerCounts);
        }
        trainImages(rows);
        this.conf = conf;
        this.epochs = epochs;
        this.rows = rows;
        this.workerCounts = workerCounts;
        this.cluster = cluster;
    }

    public void run(PrintStream out) throws Exception {
        Path root = Files.createTempDirectory("sparkcae-bench-workers");
        try {
            Path data = FashionMnistSlice.write(root.resolve("fmnist"), trainImages(rows), TEST_IMAGES);
            SparkCaeConf base = conf.with(Map.of("data.input", data.toString(), "train.epochs", epochs,
                    "train.checkpoint-every-epochs", 0, "train.checkpoint-every-iterations", 0,
                    "train.early-stopping-patience", 0));
            StageContext prep = new StageContext(base, root.resolve("run").toString(), IfExists.OVERWRITE);
            PrepJob.run(SparkSessionFactory.getOrCreate("bench-quality"), prep);
            Map<Integer, List<Double>> valMse = new LinkedHashMap<>();
            for (int workers : workerCounts) {
                Path run = root.resolve("workers-" + workers);
                StageContext sub = prep.subRun(run.toString(), base.with(Map.of("train.workers", workers)),
                        IfExists.OVERWRITE);
                List<JsonNode> history = cluster ? trainOnCluster(sub, workers, root) : train(sub);
                List<Double> mse = new ArrayList<>();
                for (JsonNode epoch : history) {
                    mse.add(epoch.get("val_mse").asDouble());
                    Map<String, Object> line = header(workers);
                    line.put("epoch", epoch.get("epoch").asInt());
                    line.put("val_mse", epoch.get("val_mse").asDouble());
                    if (epoch.has("train_loss")) {
                        line.put("train_loss", epoch.get("train_loss").asDouble());
                    }
                    line.put("epoch_s", epoch.path("epoch_s").asDouble());
                    out.println(JSON.writeValueAsString(line));
                    out.flush();
                }
                valMse.put(workers, mse);
            }
            List<Double> reference = valMse.get(workerCounts.get(0));
            for (var e : valMse.entrySet()) {
                Map<String, Object> line = header(e.getKey());
                line.put("case", "quality_workers_summary");
                line.put("reference_workers", workerCounts.get(0));
                line.put("val_mse", e.getValue());
                List<Double> ratios = new ArrayList<>();
                for (int i = 0; i < Math.min(e.getValue().size(), reference.size()); i++) {
                    ratios.add(Math.round(e.getValue().get(i) / reference.get(i) * 1000) / 1000.0);
                }
                line.put("ratio_vs_reference", ratios);
                line.put("last_epoch_within_5pct", !ratios.isEmpty() && ratios.get(ratios.size() - 1) <= 1.05);
                out.println(JSON.writeValueAsString(line));
                out.flush();
            }
        } finally {
            try (var s = Files.walk(root)) {
                s.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
            }
        }
    }

    private Map<String, Object> header(int workers) {
        Map<String, Object> line = new LinkedHashMap<>();
        line.put("case", "quality_workers");
        line.put("spark", cluster ? "loopback-cluster" : "local");
        line.put("workers", workers);
        line.put("worker_jvms", cluster ? workers : 0);
        line.put("mode", conf.train().mode().name().toLowerCase(java.util.Locale.ROOT));
        line.put("batch", conf.train().batchSize());
        line.put("batch_scope", conf.train().batchScope().name().toLowerCase(java.util.Locale.ROOT));
        line.put("worker_batch", conf.train().workerBatchSize(workers));
        line.put("worker_lr", conf.train().forWorkers(workers).learningRate());
        line.put("averaging_frequency", conf.train().averagingFrequency());
        line.put("train_images", trainImages(rows));
        return line;
    }

    private static List<JsonNode> train(StageContext sub) throws Exception {
        TrainJob.run(SparkSessionFactory.getOrCreate("bench-quality"), sub);
        return history(Path.of(sub.runDir()));
    }

    /**
     * Trains on a fresh loopback cluster of {@code workers} worker JVMs sharing this machine's cores, then goes
     * back to Spark local mode for the next case.
     */
    private static List<JsonNode> trainOnCluster(StageContext sub, int workers, Path root) throws Exception {
        int cores = Runtime.getRuntime().availableProcessors();
        Path dir = Files.createDirectories(root.resolve("cluster-" + workers));
        stopActiveSession();
        try (LoopbackCluster c = LoopbackCluster.start(new LoopbackCluster.Spec(dir, workers,
                Math.max(1, cores / workers), "3g", LoopbackCluster.classpathJars(), ClusterTrainBench.daemonJvmOptions(),
                Duration.ofMinutes(2)))) {
            SparkSession.Builder b = SparkSession.builder().appName("sparkcae bench quality cluster");
            c.driverConf().forEach(b::config);
            SparkSession spark = b.getOrCreate();
            try {
                ClusterTrainBench.awaitExecutors(JavaSparkContext.fromSparkContext(spark.sparkContext()), workers,
                        Duration.ofMinutes(2));
                TrainJob.run(spark, sub);
            } finally {
                spark.stop();
            }
        }
        return history(Path.of(sub.runDir()));
    }

    /** Fashion-MNIST training images a {@code --rows} value takes (0 = all); anything else is refused. */
    static int trainImages(int rows) {
        if (rows < 0 || rows > ALL_TRAIN_IMAGES) {
            throw new IllegalArgumentException("--rows must be 0 (all) to " + ALL_TRAIN_IMAGES + ", got " + rows);
        }
        return rows == 0 ? ALL_TRAIN_IMAGES : rows;
    }

    static List<JsonNode> history(Path run) throws Exception {
        List<JsonNode> out = new ArrayList<>();
        for (String l : Files.readAllLines(StageDirs.output(run, "train").resolve("metrics.jsonl"))) {
            if (!l.isBlank()) {
                out.add(JSON.readTree(l));
            }
        }
        return out;
    }

    private static void stopActiveSession() {
        SparkSession active = SparkSession.getActiveSession().getOrElse(() -> null);
        if (active != null) {
            active.stop();
        }
        SparkSession.clearActiveSession();
        SparkSession.clearDefaultSession();
    }
}
