package io.sparkcae.jobs.bench;

import io.sparkcae.core.config.DataConf;
import io.sparkcae.core.config.SparkCaeConf;
import io.sparkcae.core.tensor.ChannelNormalizer;
import io.sparkcae.core.model.CaeModel;
import io.sparkcae.core.model.CaeNetworkBuilder;
import io.sparkcae.core.tensor.FloatCodec;
import io.sparkcae.core.tensor.PatchShape;
import io.sparkcae.jobs.common.BroadcastModel;
import io.sparkcae.jobs.scoring.PatchScorer;
import io.sparkcae.jobs.common.SparkSessionFactory;
import io.sparkcae.prep.dataset.PatchSchema;
import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.SparkSession;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;

import static io.sparkcae.jobs.bench.TrainBench.SHAPE;
import static io.sparkcae.jobs.bench.TrainBench.emit;
import static io.sparkcae.jobs.bench.TrainBench.line;
import static io.sparkcae.jobs.bench.TrainBench.medianSeconds;
import static io.sparkcae.jobs.bench.TrainBench.round2;

/**
 * Inference throughput of the configured 2D net at the configured encode batch size: in-JVM full
 * reconstruction, encoder only, latents + reconstruction in one pass (what encode computes), and the
 * encode stage's Spark path (Parquet patches in, latents + errors out to Parquet) and the score stage's
 * (errors, SSIM and residuals out to Parquet), each with its ratio to the matching in-JVM pass.
 */
public final class EncodeBench {
    private final SparkCaeConf conf;
    private final int rows;

    public EncodeBench(SparkCaeConf conf, int rows) {
        this.conf = conf;
        this.rows = rows;
    }

    public void run(PrintStream out) throws Exception {
        int batch = conf.encode().batchSize();
        CaeModel model = new CaeNetworkBuilder(conf.model(), SHAPE).build(conf.train().learningRate(), conf.seed());
        INDArray x = Nd4j.rand(SHAPE.batchShape(batch));
        emit(out, line("infer_encode", batch, batch / medianSeconds(() -> model.encode(x), 3, 10)));
        double reconstruct = batch / medianSeconds(() -> model.reconstruct(x), 3, 10);
        double both = batch / medianSeconds(() -> model.forward(x), 3, 10);
        emit(out, line("infer_reconstruct", batch, reconstruct));
        emit(out, line("infer_latent_and_reconstruct", batch, both));
        PatchShape vol = PatchShape.of(1, 16, 16, 16);
        CaeModel net3d = new CaeNetworkBuilder(conf.model(), vol).build(conf.train().learningRate(), conf.seed());
        INDArray v = Nd4j.rand(vol.batchShape(64));
        Map<String, Object> m3 = line("infer_reconstruct_3d", 64, 64 / medianSeconds(() -> net3d.reconstruct(v), 2, 8));
        m3.put("shape", vol.toString());
        emit(out, m3);

        SparkSession spark = SparkSessionFactory.getOrCreate("bench");
        Path dir = Files.createTempDirectory("sparkcae-bench");
        try {
            String in = dir.resolve("patches").toString();
            spark.createDataFrame(randomPatches(rows), PatchSchema.SCHEMA).write().parquet(in);
            Dataset<Row> patches = spark.read().schema(PatchSchema.SCHEMA).parquet(in);
            BroadcastModel bm = BroadcastModel.of(JavaSparkContext.fromSparkContext(spark.sparkContext()), model);
            ChannelNormalizer identity = ChannelNormalizer.of(DataConf.Normalization.NONE, new double[]{0},
                    new double[]{1}, new double[]{0}, new double[]{1});
            PatchScorer encode = new PatchScorer(bm, identity, batch, Set.of(PatchScorer.Output.LATENT));
            double secs = secondsOfSecondPass(dir, "latents", outDir -> encode.score(spark, patches).write().parquet(outDir));
            Map<String, Object> m = line("encode_to_parquet_spark_local", batch, rows / secs);
            m.put("rows", rows);
            m.put("ratio_vs_in_jvm_latent_and_reconstruct", round2(rows / secs / both));
            emit(out, m);

            PatchScorer score = new PatchScorer(bm, identity, batch,
                    EnumSet.of(PatchScorer.Output.L1_SSIM, PatchScorer.Output.RESIDUAL));
            double scoreSecs = secondsOfSecondPass(dir, "scores", outDir -> score.score(spark, patches).write().parquet(outDir));
            Map<String, Object> s = line("score_to_parquet_spark_local", batch, rows / scoreSecs);
            s.put("rows", rows);
            s.put("ratio_vs_in_jvm_reconstruct", round2(rows / scoreSecs / reconstruct));
            emit(out, s);
            bm.destroy();
        } finally {
            try (var s = Files.walk(dir)) {
                s.sorted(java.util.Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
            }
        }
    }

    /** Runs the write twice (the first warms up the JIT and each task's model copy) and times the second. */
    private static double secondsOfSecondPass(Path dir, String name, java.util.function.Consumer<String> write) {
        double secs = 0;
        for (int rep = 0; rep < 2; rep++) {
            long t0 = System.nanoTime();
            write.accept(dir.resolve(name + rep).toString());
            secs = (System.nanoTime() - t0) / 1e9;
        }
        return secs;
    }

    private List<Row> randomPatches(int n) {
        Random rnd = new Random(conf.seed());
        List<Row> out = new ArrayList<>(n);
        float[] data = new float[SHAPE.elementCount()];
        for (int i = 0; i < n; i++) {
            for (int j = 0; j < data.length; j++) {
                data[j] = rnd.nextFloat();
            }
            out.add(RowFactory.create("bench:" + i, "bench", "test", null, new Integer[]{0, 0},
                    new Integer[]{1, 28, 28}, FloatCodec.encode(data)));
        }
        return out;
    }
}
