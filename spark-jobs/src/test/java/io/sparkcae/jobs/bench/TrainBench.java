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
 * parameter-averaging path in local mode over the same kind of batches, and their ratio.
 */
public final class TrainBench {
    private static final ObjectMapper JSON = new ObjectMapper();
    static final PatchShape SHAPE = PatchShape.of(1, 28, 28);
    private final SparkCaeConf conf;
    private final List<Integer> batches;
    private final int steps;
    private final int rounds;
    private final List<Integer> workerCounts;

    public TrainBench(SparkCaeConf conf, List<Integer> batches, int steps, int rounds, List<Integer> workerCounts) {
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
                Map<String, Object> spark = line("train_spark_averaging_local", batch, sparkTraining(batch, workers));
                spark.put("workers", workers);
                spark.put("averaging_frequency", conf.train().averagingFrequency());
                spark.put("ratio_vs_plain", round2(((Number) spark.get("img_per_s")).doubleValue() / plain));
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

    private double sparkTraining(int batch, int workers) {
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
        JavaRDD<DataSet> data = jsc.parallelize(ids, workers).map(i -> {
            Nd4j.getRandom().setSeed(seed + i);
            INDArray f = Nd4j.rand(SHAPE.batchShape(batch));
            return new DataSet(f, f);
        }).persist(StorageLevel.MEMORY_ONLY());
        data.count();
        TrainingStrategy strategy = TrainingStrategy.of(benchConf);
        // the pass is one segment, as the trainer gives an epoch: one worker then averages once, at its end
        SparkComputationGraph net = new SparkComputationGraph(jsc, build().network(),
                strategy.master(workers, batchesTotal / workers, seed, "127.0.0.1"));
        net.fit(strategy.feed(data)); // warm-up: JIT, native init, helper set-up on every worker
        long t0 = System.nanoTime();
        net.fit(strategy.feed(data));
        double secs = (System.nanoTime() - t0) / 1e9;
        data.unpersist();
        return (double) batchesTotal * batch / secs;
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
