package io.sparkcae.jobs.bench;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.sparkcae.core.config.SparkCaeConf;
import io.sparkcae.core.config.TrainConf;
import io.sparkcae.core.model.CaeModel;
import io.sparkcae.core.model.CaeNetworkBuilder;
import io.sparkcae.core.tensor.PatchShape;
import io.sparkcae.jobs.common.SparkSessionFactory;
import io.sparkcae.jobs.train.TrainingStrategy;
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
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Training throughput of the configured 2D net on 1x28x28 inputs (the shape of the PyTorch
 * peer benchmark, uniform random values as it uses): (a) plain DL4J fit steps in this JVM, (b) the Spark
 * parameter-averaging path in local mode over the same kind of batches, timed in passes that alternate with
 * plain DL4J passes over the same batches, and the ratios.
 */
public final class TrainBench {
    private static final ObjectMapper JSON = new ObjectMapper();
    static final PatchShape SHAPE = PatchShape.of(1, 28, 28);
    private final SparkCaeConf conf;
    private final List<Integer> batches;
    private final int steps;
    private final int rounds;
    private final List<Integer> workerCounts;
    private final int pairs;

    public TrainBench(SparkCaeConf conf, List<Integer> batches, int steps, int rounds, List<Integer> workerCounts,
                      int pairs) {
        if (pairs < 1) {
            throw new IllegalArgumentException("--pairs: " + pairs + ", expected at least 1");
        }
        this.pairs = pairs;
        this.conf = conf;
        this.batches = batches;
        this.steps = steps;
        this.rounds = rounds;
        this.workerCounts = workerCounts;
    }

    public void run(PrintStream out) throws Exception {
        for (int batch : batches) {
            double plain = plainTraining(batch);
            emit(out, line("train_plain_dl4j", batch, plain));
            for (int workers : workerCounts) {
                double[] passes = sparkAgainstPlainPasses(batch, workers);
                Map<String, Object> spark = line("train_spark_averaging_local", batch, passes[0]);
                spark.put("workers", workers);
                spark.put("averaging_frequency", conf.train().averagingFrequency());
                spark.put("ratio_vs_plain", round2(passes[0] / plain));
                spark.put("plain_pass_img_per_s", Math.round(passes[1] * 10) / 10.0);
                spark.put("ratio_vs_plain_pass", round2(passes[0] / passes[1]));
                spark.put("pairs", pairs);
                emit(out, spark);
            }
        }
        // The default 3D net (same spec) on single-channel 16^3 volumes.
        PatchShape vol = PatchShape.of(1, 16, 16, 16);
        int batch3d = 8;
        CaeModel net3d = new CaeNetworkBuilder(conf.model(), vol).build(conf.train().learningRate(), conf.seed());
        INDArray v = Nd4j.rand(vol.batchShape(batch3d));
        DataSet vs = new DataSet(v, v);
        Map<String, Object> m3 = line("train_plain_dl4j_3d", batch3d,
                batch3d / medianSeconds(() -> net3d.network().fit(vs), 3, steps));
        m3.put("shape", vol.toString());
        emit(out, m3);
    }

    private CaeModel build() {
        return new CaeNetworkBuilder(conf.model(), SHAPE).build(conf.train().learningRate(), conf.seed());
    }

    private double plainTraining(int batch) {
        CaeModel model = build();
        INDArray x = Nd4j.rand(SHAPE.batchShape(batch));
        DataSet ds = new DataSet(x, x);
        return batch / medianSeconds(() -> model.network().fit(ds), 5, steps);
    }

    /**
     * Medians over {@code pairs} alternating passes of {img/s of one Spark fit, img/s of plain DL4J fitting the
     * same batches in a loop}. Both are whole passes over the same distinct batches, so the ratio holds what
     * Spark adds (jobs, broadcast, model copies, averaging) and nothing of how a pass differs from a repeated
     * step (the step median above leaves out GC pauses and cache misses that every pass has).
     */
    private double[] sparkAgainstPlainPasses(int batch, int workers) {
        SparkSession spark = SparkSessionFactory.getOrCreate("bench");
        JavaSparkContext jsc = JavaSparkContext.fromSparkContext(spark.sparkContext());
        TrainConf t = conf.train();
        TrainConf benchConf = t.forBenchmark(batch, t.mode(), workers);
        int batchesTotal = workers * t.averagingFrequency() * rounds;
        List<Integer> ids = new ArrayList<>();
        for (int i = 0; i < batchesTotal; i++) {
            ids.add(i);
        }
        long seed = conf.seed();
        JavaRDD<DataSet> data = jsc.parallelize(ids, workers).map(i -> randomBatch(seed + i, batch))
                .persist(StorageLevel.MEMORY_ONLY());
        data.count();
        List<DataSet> local = randomBatches(seed, batchesTotal, batch);
        TrainingStrategy strategy = TrainingStrategy.of(benchConf);
        // the pass is one segment, as the trainer gives an epoch: one worker then averages once, at its end
        SparkComputationGraph net = new SparkComputationGraph(jsc, build().network(),
                strategy.master(workers, batchesTotal / workers, seed, "127.0.0.1"));
        ComputationGraph plainNet = build().network();
        Runnable sparkPass = () -> net.fit(strategy.feed(data));
        Runnable plainPass = () -> local.forEach(plainNet::fit);
        sparkPass.run(); // warm-up: JIT, native init, helper set-up on every worker
        plainPass.run();
        double[] sparkRates = new double[pairs];
        double[] plainRates = new double[pairs];
        for (int p = 0; p < pairs; p++) {
            plainRates[p] = (double) batchesTotal * batch / seconds(plainPass);
            sparkRates[p] = (double) batchesTotal * batch / seconds(sparkPass);
        }
        data.unpersist();
        Arrays.sort(sparkRates);
        Arrays.sort(plainRates);
        return new double[]{sparkRates[pairs / 2], plainRates[pairs / 2]};
    }

    /** Batches 0..count-1 of a pass, as the Spark side makes them: batch i from seed + i. */
    static List<DataSet> randomBatches(long seed, int count, int batch) {
        List<DataSet> out = new ArrayList<>(count);
        for (int i = 0; i < count; i++) {
            out.add(randomBatch(seed + i, batch));
        }
        return out;
    }

    /** A batch of uniform random 1x28x28 images, the same for the same seed (as the PyTorch peer feeds). */
    static DataSet randomBatch(long seed, int batch) {
        Nd4j.getRandom().setSeed(seed);
        INDArray f = Nd4j.rand(SHAPE.batchShape(batch));
        return new DataSet(f, f);
    }

    private static double seconds(Runnable r) {
        long t0 = System.nanoTime();
        r.run();
        return (System.nanoTime() - t0) / 1e9;
    }

    static Map<String, Object> line(String name, int batch, double imgPerS) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("case", name);
        m.put("batch", batch);
        m.put("img_per_s", Math.round(imgPerS * 10) / 10.0);
        m.put("threads", Runtime.getRuntime().availableProcessors());
        return m;
    }

    static void emit(PrintStream out, Map<String, Object> m) throws Exception {
        Runtime rt = Runtime.getRuntime();
        m.put("heap_used_mb", (rt.totalMemory() - rt.freeMemory()) >> 20);
        m.put("peak_rss_mb", peakRssMb());
        out.println(JSON.writeValueAsString(m));
        out.flush();
    }

    /** VmHWM from /proc: the process's peak resident set, off-heap ND4J buffers included. */
    private static long peakRssMb() {
        try {
            for (String l : Files.readAllLines(Path.of("/proc/self/status"))) {
                if (l.startsWith("VmHWM:")) {
                    return Long.parseLong(l.replaceAll("[^0-9]", "")) >> 10;
                }
            }
        } catch (Exception e) {
            return -1;
        }
        return -1;
    }

    public static double medianSeconds(Runnable r, int warmup, int reps) {
        for (int i = 0; i < warmup; i++) {
            r.run();
        }
        double[] t = new double[reps];
        for (int i = 0; i < reps; i++) {
            long s = System.nanoTime();
            r.run();
            t[i] = (System.nanoTime() - s) / 1e9;
        }
        Arrays.sort(t);
        return t[reps / 2];
    }

    static double round2(double v) {
        return Math.round(v * 100) / 100.0;
    }

}
