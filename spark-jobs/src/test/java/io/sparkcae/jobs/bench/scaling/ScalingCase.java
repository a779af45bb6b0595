package io.sparkcae.jobs.bench.scaling;

import io.sparkcae.jobs.bench.ClusterTrainBench;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.sparkcae.core.config.SparkCaeConf;
import io.sparkcae.core.config.TrainConf;
import io.sparkcae.core.model.CaeNetworkBuilder;
import io.sparkcae.core.tensor.PatchShape;
import io.sparkcae.jobs.cluster.LoopbackCluster;
import io.sparkcae.jobs.cluster.SharingIterationListener;
import io.sparkcae.jobs.train.TrainingStrategy;
import org.apache.spark.api.java.JavaRDD;
import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.storage.StorageLevel;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.deeplearning4j.spark.api.TrainingMaster;
import org.deeplearning4j.spark.impl.graph.SparkComputationGraph;
import org.deeplearning4j.spark.parameterserver.training.SharedTrainingMaster;
import org.deeplearning4j.optimize.api.TrainingListener;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.dataset.DataSet;
import org.nd4j.linalg.factory.Nd4j;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;

/**
 * The measuring half of {@code bench scaling}, run as its own JVM inside the bench's network namespace (or
 * without one when namespaces are not available): for every worker count a loopback standalone cluster, for
 * every link rate lo shaped to it, and for every averaging frequency and sharing threshold one timed pass of
 * the narrow CAE, after one untimed averaging pass on each fresh cluster: all averaging points on one cluster,
 * each sharing point on a cluster of its own. Prints one JSON line per point ({@code "case":"scaling_point"}).
 */
@Command(name = "scaling-case")
public final class ScalingCase implements Callable<Integer> {
    static final String POINT = "scaling_point";
    static final PatchShape SHAPE = PatchShape.of(1, 28, 28);
    private static final ObjectMapper JSON = new ObjectMapper();

    @Option(names = "--workers", split = ",", required = true)
    List<Integer> workers;
    @Option(names = "--rates", split = ",", required = true)
    List<String> rates;
    @Option(names = "--steps", required = true)
    int steps;
    @Option(names = "--batch", required = true)
    int batch;
    @Option(names = "--frequencies", split = ",", required = true)
    List<Integer> frequencies;
    @Option(names = "--thresholds", split = ",", required = true)
    List<Double> thresholds;
    @Option(names = "--channels", split = ",", required = true)
    List<Integer> channels;
    @Option(names = "--netns", description = "The bench namespace this JVM runs in; lo is shaped only with it.")
    String netns;

    public static void main(String[] args) {
        int rc = new CommandLine(new ScalingCase()).execute(args);
        System.exit(rc);
    }

    @Override
    public Integer call() throws Exception {
        List<LinkRate> linkRates = LinkRate.parseAll(rates);
        if (netns == null && linkRates.stream().anyMatch(LinkRate::limited)) {
            throw new IllegalArgumentException("limited rates need --netns");
        }
        PrintStream out = System.out;
        for (int n : workers) {
            int workerCount = n;
            onFreshCluster(n, (jsc, recorder) -> {
                for (LinkRate rate : linkRates) {
                    shape(rate);
                    for (int f : frequencies) {
                        emit(out, measure(jsc, recorder, workerCount, rate, TrainConf.TrainingMode.AVERAGING, f));
                    }
                }
            });
            // every sharing point on a cluster of its own: a finished sharing pass leaves DL4J's Aeron
            // subscription pollers running in each executor (see docs/scaling.md), which would slow every
            // later pass on the same executors
            for (LinkRate rate : linkRates) {
                for (double th : thresholds) {
                    onFreshCluster(n, (jsc, recorder) -> {
                        shape(rate);
                        emit(out, measure(jsc, recorder, workerCount, rate, TrainConf.TrainingMode.SHARING, th));
                    });
                }
            }
        }
        return 0;
    }

    /** What is measured on one cluster. */
    @FunctionalInterface
    private interface ClusterWork {
        void run(JavaSparkContext jsc, RoundRecorder recorder) throws Exception;
    }

    /** Starts N worker JVMs, warms them up with one untimed averaging pass, runs the work, stops them. */
    private void onFreshCluster(int n, ClusterWork work) throws Exception {
        int cores = Runtime.getRuntime().availableProcessors();
        Path dir = Files.createTempDirectory("sparkcae-bench-scaling-");
        LoopbackCluster cluster = LoopbackCluster.start(new LoopbackCluster.Spec(dir, n, Math.max(1, cores / n),
                "2g", LoopbackCluster.classpathJars(), ClusterTrainBench.daemonJvmOptions(), Duration.ofMinutes(3)));
        SparkSession.Builder b = SparkSession.builder().appName("sparkcae bench scaling");
        cluster.driverConf().forEach(b::config);
        SparkSession spark = b.getOrCreate();
        RoundRecorder recorder = new RoundRecorder();
        try {
            JavaSparkContext jsc = JavaSparkContext.fromSparkContext(spark.sparkContext());
            jsc.sc().addSparkListener(recorder);
            ClusterTrainBench.awaitExecutors(jsc, n, Duration.ofMinutes(3));
            shape(LinkRate.UNLIMITED);
            warmUp(jsc, n);
            work.run(jsc, recorder);
        } finally {
            if (netns != null) {
                LoopbackNamespace.shapeCurrent(netns, LinkRate.UNLIMITED); // the cluster stops unthrottled
            }
            spark.stop();
            cluster.close();
        }
        deleteTree(dir);
    }

    private void shape(LinkRate rate) {
        if (netns != null) {
            LoopbackNamespace.shapeCurrent(netns, rate);
        }
    }

    /** The configuration of one point: the narrow net, the batch, and the mode's parameter. */
    SparkCaeConf conf(TrainConf.TrainingMode mode, double param) {
        Map<String, Object> set = new LinkedHashMap<>();
        set.put("model.encoder-channels", channels);
        set.put("train.batch-size", batch);
        set.put("train.mode", mode.name().toLowerCase(java.util.Locale.ROOT));
        if (mode == TrainConf.TrainingMode.AVERAGING) {
            set.put("train.averaging-frequency", (int) param);
        } else {
            set.put("train.sharing-threshold", param);
            set.put("train.sharing-workers-per-node", 1); // one training thread per executor, as under averaging
        }
        return SparkCaeConf.defaults().with(set);
    }

    /**
     * One untimed averaging pass on a fresh cluster: JIT, native libraries and layer helpers in every executor
     * JVM. Sharing gets no untimed pass (it would leave polling threads behind); each timed sharing pass
     * starts its own mesh and pays for it in its setup time, which the steady-state figures leave out.
     */
    private void warmUp(JavaSparkContext jsc, int n) throws Exception {
        for (TrainConf.TrainingMode mode : List.of(TrainConf.TrainingMode.AVERAGING)) {
            double param = mode == TrainConf.TrainingMode.AVERAGING ? frequencies.get(0) : thresholds.get(0);
            SparkCaeConf c = conf(mode, param);
            TrainConf t = c.train().forBenchmark(batch, mode, n);
            TrainingStrategy strategy = TrainingStrategy.of(t);
            JavaRDD<DataSet> warm = batches(jsc, n, Math.max(10, 2 * frequencies.get(0)), c.seed() + 7919);
            ComputationGraph net = new CaeNetworkBuilder(c.model(), SHAPE).build(t.learningRate(), c.seed()).network();
            try (TrainingStrategy.SegmentWatch watch = strategy.watch(jsc, net, "scaling warm-up")) {
                new SparkComputationGraph(jsc, net, master(strategy, n, frequencies.get(0), c.seed()))
                        .fit(strategy.feed(warm));
                watch.report(net);
            }
            warm.unpersist();
        }
        FitStepProbe.run(jsc, n, Duration.ofSeconds(60)); // drop the warm-up's step times
    }

    /** Sharing: the steps asked for; averaging: whole rounds, at least two (the period needs a gap between rounds). */
    int batchesPerWorker(TrainConf.TrainingMode mode, double param) {
        if (mode == TrainConf.TrainingMode.SHARING) {
            return steps;
        }
        int f = (int) param;
        return f * Math.max(2, (steps + f - 1) / f);
    }

    private Map<String, Object> measure(JavaSparkContext jsc, RoundRecorder recorder, int n, LinkRate rate,
                                        TrainConf.TrainingMode mode, double param) throws Exception {
        SparkCaeConf c = conf(mode, param);
        TrainConf t = c.train().forBenchmark(batch, mode, n);
        TrainingStrategy strategy = TrainingStrategy.of(t);
        int segment = mode == TrainConf.TrainingMode.AVERAGING ? (int) param : steps;
        int perWorker = batchesPerWorker(mode, param);
        JavaRDD<DataSet> timed = batches(jsc, n, perWorker, c.seed());
        ComputationGraph net = new CaeNetworkBuilder(c.model(), SHAPE).build(t.learningRate(), c.seed()).network();
        long params = net.numParams();
        recorder.clear();
        Map<String, Object> traffic;
        long t0 = System.currentTimeMillis();
        long n0 = System.nanoTime();
        double wall;
        try (TrainingStrategy.SegmentWatch watch = strategy.watch(jsc, net, "scaling timed pass")) {
            new SparkComputationGraph(jsc, net, master(strategy, n, segment, c.seed())).fit(strategy.feed(timed));
            wall = (System.nanoTime() - n0) / 1e9;
            awaitListenerBus(jsc);
            List<RoundRecorder.Job> jobs = recorder.jobs();
            Map<String, Long> broadcast = recorder.broadcastBytes();
            traffic = watch.report(net);
            Map<String, FitStepTimes.Totals> times = FitStepProbe.run(jsc, n, Duration.ofSeconds(60));
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("case", POINT);
            m.put("mode", strategy.name());
            m.put("param", param);
            m.put("workers", n);
            m.put("rate", rate.label());
            m.put("rate_bps", rate.limited() ? rate.bitsPerSecond() : null);
            m.put("batch", batch);
            m.put("params", params);
            m.put("batches_per_worker", perWorker);
            m.put("wall_s", round(wall, 4));
            m.put("img_per_s", round((double) n * perWorker * batch / wall, 1));
            FitStepTimes.Totals sum = times.values().stream().reduce(FitStepTimes.Totals.NONE, FitStepTimes.Totals::plus);
            m.put("step_s", round(sum.meanStep(), 5));
            m.put("compute_s", round(sum.meanGrad(), 5));
            m.put("post_gradient_s", round(sum.meanPost(), 5));
            m.put("steps_timed", sum.steps());
            m.put("executors_timed", times.size());
            if (mode == TrainConf.TrainingMode.AVERAGING) {
                averagingFigures(m, jobs, broadcast, n, (int) param, t0);
            } else {
                sharingFigures(m, traffic, n, times);
            }
            return m;
        } finally {
            timed.unpersist();
        }
    }

    /**
     * Per round: the tasks' result bytes, the broadcast bytes each executor fetched, the driver's gap between
     * a round's last task and the next round's first (aggregation, parameter update, next broadcast, task
     * launch), the wait of finished tasks for the round's slowest one, and each task's time outside its fit
     * steps (model rebuilt from the broadcast, first step, result serialised).
     */
    private static void averagingFigures(Map<String, Object> m, List<RoundRecorder.Job> jobs, Map<String, Long> broadcast,
                                         int n, int f, long t0) {
        List<RoundRecorder.Job> rounds = jobs.stream().filter(j -> !j.name().startsWith("count") && !j.tasks().isEmpty()
                && j.firstLaunch() >= t0).toList();
        int r = rounds.size();
        long results = 0;
        long processLocal = 0;
        long tasks = 0;
        double straggler = 0;
        double taskBusy = 0;
        for (RoundRecorder.Job j : rounds) {
            long last = j.lastFinish();
            for (RoundRecorder.Task tk : j.tasks()) {
                results += tk.resultBytes();
                straggler += (last - tk.finish()) / 1e3;
                taskBusy += (tk.finish() - tk.launch()) / 1e3;
                processLocal += tk.processLocal() ? 1 : 0;
                tasks++;
            }
        }
        double gaps = 0;
        for (int i = 1; i < r; i++) {
            gaps += (rounds.get(i).firstLaunch() - rounds.get(i - 1).lastFinish()) / 1e3;
        }
        long execBroadcast = broadcast.entrySet().stream().filter(e -> !"driver".equals(e.getKey()))
                .mapToLong(Map.Entry::getValue).sum();
        double stepS = ((Number) m.get("step_s")).doubleValue();
        m.put("rounds", r);
        m.put("averaging_frequency", f);
        // steady state: the rounds from the first launch to the last finish, plus one driver gap for the last
        // round (the pass's count job and split stay out)
        double wall = ((Number) m.get("wall_s")).doubleValue();
        double meanGap = r < 2 ? 0 : gaps / (r - 1);
        double period = r == 0 ? Double.NaN
                : ((rounds.get(r - 1).lastFinish() - rounds.get(0).firstLaunch()) / 1e3 + meanGap) / r;
        m.put("round_s", round(period, 4));
        m.put("steady_img_per_s", round((double) n * f * ((Number) m.get("batch")).intValue() / period, 1));
        m.put("setup_s", round(wall - r * period, 3));
        m.put("result_bytes_per_executor_round", r == 0 ? 0 : results / ((long) r * n));
        m.put("broadcast_bytes_per_executor_round", r == 0 ? 0 : execBroadcast / ((long) r * n));
        m.put("bytes_per_round", r == 0 ? 0 : (results + execBroadcast) / r);
        m.put("driver_gap_s", r < 2 ? null : round(gaps / (r - 1), 4));
        m.put("sync_wait_s", tasks == 0 ? null : round(straggler / tasks, 4));
        m.put("task_overhead_s", tasks == 0 ? null : round(taskBusy / tasks - f * stepS, 4));
        m.put("process_local_tasks", tasks == 0 ? null : round((double) processLocal / tasks, 3));
    }

    /** Per worker iteration: what each executor sent and received over Aeron, and all of it together. */
    @SuppressWarnings("unchecked")
    private void sharingFigures(Map<String, Object> m, Map<String, Object> traffic, int n,
                                Map<String, FitStepTimes.Totals> times) {
        // steady state: each executor's time between its first and last iteration, averaged over executors
        double period = times.values().stream().mapToDouble(FitStepTimes.Totals::iterationPeriod)
                .filter(Double::isFinite).average().orElse(Double.NaN);
        double wall = ((Number) m.get("wall_s")).doubleValue();
        m.put("iteration_s", round(period, 5));
        m.put("steady_img_per_s", round(n * batch / period, 1));
        m.put("setup_s", round(wall - steps * period, 3));
        if (traffic == null) {
            return;
        }
        Map<String, Map<String, Object>> execs = (Map<String, Map<String, Object>>) traffic.get("executors");
        long sent = 0;
        long received = 0;
        long batches = 0;
        for (Map<String, Object> e : execs.values()) {
            sent += Math.max(0, ((Number) e.get("bytes_sent")).longValue());
            received += Math.max(0, ((Number) e.get("bytes_received")).longValue());
            batches += ((Number) e.get("batches")).longValue();
        }
        double perWorkerBatches = Math.max(1, (double) batches / n);
        m.put("sent_bytes_per_executor_iteration", Math.round(sent / Math.max(1.0, batches)));
        m.put("received_bytes_per_executor_iteration", Math.round(received / Math.max(1.0, batches)));
        m.put("bytes_per_iteration", Math.round((sent + received) / perWorkerBatches));
        m.put("executors", execs);
    }

    private TrainingMaster master(TrainingStrategy strategy, int n, int segment, long seed) {
        TrainingMaster master = strategy.master(n, segment, seed, "127.0.0.1");
        List<TrainingListener> listeners = new ArrayList<>();
        if (master instanceof SharedTrainingMaster) {
            listeners.add(new SharingIterationListener()); // the strategy's per-executor traffic counter stays
        }
        listeners.add(new FitStepTimes());
        master.setListeners(listeners);
        return master;
    }

    private JavaRDD<DataSet> batches(JavaSparkContext jsc, int n, int perWorker, long seed) {
        List<Integer> ids = new ArrayList<>();
        for (int i = 0; i < n * perWorker; i++) {
            ids.add(i);
        }
        int b = batch;
        JavaRDD<DataSet> data = jsc.parallelize(ids, n).map(i -> {
            Nd4j.getRandom().setSeed(seed + i);
            INDArray f = Nd4j.rand(SHAPE.batchShape(b));
            return new DataSet(f, f);
        }).persist(StorageLevel.MEMORY_ONLY());
        data.count();
        return data;
    }

    private static void awaitListenerBus(JavaSparkContext jsc) {
        try {
            jsc.sc().listenerBus().waitUntilEmpty(30_000);
        } catch (Exception e) {
            // figures of a slow bus may miss the last events; the point still prints
        }
    }

    private static void emit(PrintStream out, Map<String, Object> m) throws Exception {
        out.println(JSON.writeValueAsString(m));
        out.flush();
    }

    static double round(double v, int digits) {
        double s = Math.pow(10, digits);
        return Double.isFinite(v) ? Math.round(v * s) / s : Double.NaN;
    }

    private static void deleteTree(Path dir) throws java.io.IOException {
        try (var files = Files.walk(dir)) {
            for (Path p : files.sorted(java.util.Comparator.reverseOrder()).toList()) {
                Files.deleteIfExists(p);
            }
        }
    }
}
