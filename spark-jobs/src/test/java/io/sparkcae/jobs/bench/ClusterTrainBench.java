package io.sparkcae.jobs.bench;

import io.sparkcae.core.config.SparkCaeConf;
import io.sparkcae.core.config.TrainConf;
import io.sparkcae.core.model.CaeModel;
import io.sparkcae.core.model.CaeNetworkBuilder;
import io.sparkcae.jobs.cluster.LoopbackCluster;
import io.sparkcae.jobs.train.TrainingStrategy;
import org.deeplearning4j.spark.api.TrainingMaster;
import org.apache.spark.api.java.JavaRDD;
import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.storage.StorageLevel;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.deeplearning4j.spark.impl.graph.SparkComputationGraph;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.dataset.DataSet;
import org.nd4j.linalg.factory.Nd4j;

import java.io.PrintStream;
import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Training throughput on a {@link LoopbackCluster}: the same batches as {@link TrainBench} (1x28x28, uniform
 * random), trained by executors in N worker JVMs under parameter averaging or gradient sharing, against
 * plain DL4J fit steps in this JVM. Each worker gets cores/N cores, so every case uses the same cores; on a
 * 2-core machine the ratio measures the cost of distribution (serialisation, averaging rounds, Aeron
 * traffic), not a speed-up. For sharing it also reports the update bytes per iteration, from the
 * executors' Aeron counters.
 */
public final class ClusterTrainBench {
    private final SparkCaeConf conf;
    private final TrainConf.TrainingMode mode;
    private final List<Integer> batches;
    private final int steps;
    private final int rounds;
    private final List<Integer> workerCounts;

    public ClusterTrainBench(SparkCaeConf conf, TrainConf.TrainingMode mode, List<Integer> batches, int steps,
                             int rounds, List<Integer> workerCounts) {
        this.conf = conf;
        this.mode = mode;
        this.batches = batches;
        this.steps = steps;
        this.rounds = rounds;
        this.workerCounts = workerCounts;
    }

    public void run(PrintStream out) throws Exception {
        int cores = Runtime.getRuntime().availableProcessors();
        // plain DL4J first, with no cluster JVMs alive (idle executors' Aeron threads still take CPU)
        Map<Integer, Double> plain = new java.util.LinkedHashMap<>();
        Map<List<Integer>, Double> plainPass = new java.util.LinkedHashMap<>();
        for (int batch : batches) {
            plain.put(batch, plainTraining(batch));
            for (int workers : workerCounts) {
                plainPass.computeIfAbsent(List.of(batch, passBatches(workers)), k -> plainPassRate(batch, k.get(1)));
            }
        }
        for (int workers : workerCounts) {
            Path dir = Files.createTempDirectory("sparkcae-bench-cluster-");
            LoopbackCluster cluster = LoopbackCluster.start(new LoopbackCluster.Spec(dir, workers,
                    Math.max(1, cores / workers), "3g", LoopbackCluster.classpathJars(), daemonJvmOptions(),
                    Duration.ofMinutes(2)));
            SparkSession active = SparkSession.getActiveSession().getOrElse(() -> null);
            if (active != null) {
                active.stop();
            }
            SparkSession.Builder b = SparkSession.builder().appName("sparkcae bench cluster");
            cluster.driverConf().forEach(b::config);
            SparkSession spark = b.getOrCreate();
            try {
                JavaSparkContext jsc = JavaSparkContext.fromSparkContext(spark.sparkContext());
                awaitExecutors(jsc, workers, Duration.ofMinutes(2));
                for (int batch : batches) {
                    Map<String, Object> m = measure(jsc, batch, workers);
                    m.put("ratio_vs_plain", TrainBench.round2(((Number) m.get("img_per_s")).doubleValue() / plain.get(batch)));
                    if (m.get("steady_img_per_s") instanceof Number steady) {
                        m.put("steady_ratio_vs_plain", TrainBench.round2(steady.doubleValue() / plain.get(batch)));
                    }
                    m.put("plain_img_per_s", Math.round(plain.get(batch) * 10) / 10.0);
                    double pass = plainPass.get(List.of(batch, passBatches(workers)));
                    m.put("plain_pass_img_per_s", Math.round(pass * 10) / 10.0);
                    m.put("ratio_vs_plain_pass", TrainBench.round2(((Number) m.get("img_per_s")).doubleValue() / pass));
                    TrainBench.emit(out, m);
                }
            } finally {
                spark.stop();
                cluster.close();
            }
            deleteTree(dir); // on failure the exception leaves it, with the daemon and executor logs
        }
    }

    private static void deleteTree(Path dir) throws java.io.IOException {
        try (var files = Files.walk(dir)) {
            for (Path p : files.sorted(java.util.Comparator.reverseOrder()).toList()) {
                Files.deleteIfExists(p);
            }
        }
    }

    private Map<String, Object> measure(JavaSparkContext jsc, int batch, int workers) {
        TrainConf t = conf.train();
        TrainConf benchConf = t.forBenchmark(batch, mode, workers);
        int total = passBatches(workers);
        List<Integer> ids = new ArrayList<>();
        for (int i = 0; i < total; i++) {
            ids.add(i);
        }
        long seed = conf.seed();
        JavaRDD<DataSet> data = jsc.parallelize(ids, workers).map(i -> TrainBench.randomBatch(seed + i, batch))
                .persist(StorageLevel.MEMORY_ONLY());
        data.count();
        ComputationGraph net = build().network();
        TrainingStrategy strategy = TrainingStrategy.of(benchConf);
        fit(jsc, net, strategy, workers, data); // warm-up: JIT, natives, helpers, Aeron mesh on every executor
        long t0 = System.nanoTime();
        Map<String, Object> traffic;
        double secs;
        try (TrainingStrategy.SegmentWatch watch = strategy.watch(jsc, net, "bench pass")) {
            new SparkComputationGraph(jsc, net, master(strategy, workers)).fit(strategy.feed(data));
            secs = (System.nanoTime() - t0) / 1e9;
            traffic = watch.report(net); // counters of the timed pass (gradient sharing only)
        }
        Map<String, Object> m = TrainBench.line("train_cluster_" + strategy.name(), batch, (double) total * batch / secs);
        m.put("workers", workers);
        m.put("worker_jvms", workers);
        if (traffic != null) {
            m.put("update_bytes_per_iteration", traffic.get("update_bytes_per_iteration"));
            m.put("sharing", traffic.get("executors"));
            steadyState(m, traffic, batch, secs);
        } else {
            m.put("averaging_frequency", t.averagingFrequency());
        }
        data.unpersist();
        return m;
    }

    /**
     * Splits a sharing pass into its training steps and the rest: the executors' steps per second between
     * their first and last iteration (summed over executors, which train concurrently) as
     * {@code steady_img_per_s}, and the pass's seconds outside the longest such span (the master's setup,
     * broadcast, Aeron connections, the end of the pass) as {@code outside_steps_s}. The caller adds the
     * steady rate's ratio to plain training.
     */
    @SuppressWarnings("unchecked")
    static void steadyState(Map<String, Object> m, Map<String, Object> traffic, int batch, double passSeconds) {
        Object executors = traffic.get("executors");
        if (!(executors instanceof Map<?, ?> per)) {
            return;
        }
        double stepsPerSecond = 0;
        double longestSpan = 0;
        for (Object v : per.values()) {
            Map<String, Object> e = (Map<String, Object>) v;
            if (e.get("steps_per_s") instanceof Number r && e.get("step_span_s") instanceof Number span) {
                stepsPerSecond += r.doubleValue();
                longestSpan = Math.max(longestSpan, span.doubleValue());
            }
        }
        if (stepsPerSecond > 0) {
            m.put("steady_img_per_s", Math.round(stepsPerSecond * batch * 10) / 10.0);
            m.put("outside_steps_s", Math.round((passSeconds - longestSpan) * 100) / 100.0);
        }
    }

    /** One pass over the batches with a fresh training master, as one training epoch does. */
    private void fit(JavaSparkContext jsc, ComputationGraph net, TrainingStrategy strategy, int workers,
                     JavaRDD<DataSet> data) {
        try (TrainingStrategy.SegmentWatch watch = strategy.watch(jsc, net, "bench warm-up")) {
            new SparkComputationGraph(jsc, net, master(strategy, workers)).fit(strategy.feed(data));
            watch.report(net); // reads and resets each executor's counters for the next pass
        }
    }

    /** A master whose averaging rounds are the configured frequency, as training with several workers uses. */
    private TrainingMaster master(TrainingStrategy strategy, int workers) {
        return strategy.master(workers, conf.train().averagingFrequency(), conf.seed(), "127.0.0.1");
    }

    private int passBatches(int workers) {
        return workers * conf.train().averagingFrequency() * rounds;
    }

    /**
     * Plain DL4J fitting the pass's batches in a loop (median of 3 passes after a warm-up one): what a cluster
     * pass over the same distinct batches is compared with, outside steps included on both sides.
     */
    private double plainPassRate(int batch, int count) {
        ComputationGraph net = build().network();
        List<DataSet> local = TrainBench.randomBatches(conf.seed(), count, batch);
        return (double) count * batch / TrainBench.medianSeconds(() -> local.forEach(net::fit), 1, 3);
    }

    private double plainTraining(int batch) {
        CaeModel model = build();
        INDArray x = Nd4j.rand(TrainBench.SHAPE.batchShape(batch));
        DataSet ds = new DataSet(x, x);
        return batch / TrainBench.medianSeconds(() -> model.network().fit(ds), 5, steps);
    }

    private CaeModel build() {
        return new CaeNetworkBuilder(conf.model(), TrainBench.SHAPE).build(conf.train().learningRate(), conf.seed());
    }

    public static void awaitExecutors(JavaSparkContext jsc, int n, Duration timeout) throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (jsc.sc().getExecutorMemoryStatus().size() < n + 1) {
            if (System.nanoTime() > deadline) {
                throw new IllegalStateException("only " + (jsc.sc().getExecutorMemoryStatus().size() - 1) + " of " + n
                        + " executors registered within " + timeout);
            }
            Thread.sleep(200);
        }
    }

    /** This JVM's --add-opens/-D flags (conf/jvm.properties via the launcher) for the daemons and executors. */
    public static List<String> daemonJvmOptions() {
        List<String> out = new ArrayList<>();
        for (String a : ManagementFactory.getRuntimeMXBean().getInputArguments()) {
            if ((a.startsWith("--add-") || a.startsWith("-D")) && !a.startsWith("-Dspark.")
                    && !a.startsWith("-Dorg.bytedeco.javacpp.max")) {
                out.add(a);
            }
        }
        return out;
    }
}
