package io.sparkcae.jobs.bench;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.sparkcae.core.config.ScoreConf;
import io.sparkcae.core.config.SparkCaeConf;
import io.sparkcae.jobs.common.IfExists;
import io.sparkcae.jobs.common.SparkSessionFactory;
import io.sparkcae.jobs.common.StageContext;
import io.sparkcae.jobs.prep.PrepJob;
import io.sparkcae.jobs.score.ScoreJob;
import io.sparkcae.jobs.testing.FashionMnistSlice;
import io.sparkcae.jobs.train.TrainJob;
import org.apache.spark.sql.SparkSession;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.PrintStream;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.zip.GZIPInputStream;
import java.util.zip.GZIPOutputStream;

/**
 * Anomaly-detection quality in the one-class protocol on Fashion-MNIST: for each class, one model is trained on
 * that class's training images only (train.labels = [c]) and the test images are scored with that class normal
 * and the nine others anomalous (score.normal-labels = [c]). Prints one JSON line per class with the ROC-AUC and
 * PR-AUC of every score the score stage writes, then a line with each score's mean ROC-AUC over the classes.
 * Prep runs once on a class-balanced copy of the data (at most {@code perClassCap} train and test images per
 * class); every class trains and scores in its own sub-run reading that prep output.
 */
public final class OneClassQualityBench {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String[] NAMES = {"T-shirt/top", "Trouser", "Pullover", "Dress", "Coat", "Sandal", "Shirt",
            "Sneaker", "Bag", "Ankle boot"};

    private final SparkCaeConf conf;
    private final int epochs;
    private final int perClassCap;
    private final List<Integer> classes;

    /** @param perClassCap at most this many training and test images of each class (0 = all) */
    public OneClassQualityBench(SparkCaeConf conf, int epochs, int perClassCap, List<Integer> classes) {
        this.conf = conf;
        this.epochs = epochs;
        this.perClassCap = perClassCap;
        this.classes = classes;
    }

    public void run(PrintStream out) throws Exception {
        for (int c : classes) {
            if (c < 0 || c > 9) {
                throw new IllegalArgumentException("Fashion-MNIST classes are 0..9, got " + c);
            }
        }
        Path root = Files.createTempDirectory("sparkcae-bench-oneclass");
        try {
            Path data = balancedCopy(root.resolve("fmnist"));
            SparkCaeConf base = conf.with(Map.of("data.input", data.toString(), "train.epochs", epochs,
                    "score.residual-maps", 0));
            SparkSession spark = SparkSessionFactory.getOrCreate("bench-quality");
            StageContext prep = new StageContext(base, root.resolve("run").toString(), IfExists.OVERWRITE);
            PrepJob.run(spark, prep);
            Map<String, List<Double>> aurocs = new LinkedHashMap<>();
            for (int c : classes) {
                SparkCaeConf oneClass = base.with(Map.of("train.labels", List.of(c), "score.normal-labels", List.of(c)));
                StageContext sub = prep.subRun(root.resolve("class-" + c).toString(), oneClass, IfExists.OVERWRITE);
                long t0 = System.nanoTime();
                Map<String, Object> trained = TrainJob.run(spark, sub);
                long t1 = System.nanoTime();
                Map<String, Object> scored = ScoreJob.run(spark, sub, null);
                long t2 = System.nanoTime();
                Map<String, Object> line = new LinkedHashMap<>();
                line.put("case", "quality_one_class");
                line.put("class", c);
                line.put("name", NAMES[c]);
                line.put("epochs", epochs);
                line.put("per_class_cap", perClassCap);
                line.put("best_val_mse", trained.get("best_val_mse"));
                line.put("test_patches", scored.get("test_patches"));
                for (ScoreConf.Method m : ScoreConf.Method.values()) {
                    Object roc = scored.get("auroc_" + m.column());
                    line.put("auroc_" + m.column(), roc);
                    line.put("pr_auc_" + m.column(), scored.get("pr_auc_" + m.column()));
                    if (roc instanceof Number n) {
                        aurocs.computeIfAbsent(m.column(), k -> new ArrayList<>()).add(n.doubleValue());
                    }
                }
                line.put("train_s", Math.round((t1 - t0) / 1e8) / 10.0);
                line.put("score_s", Math.round((t2 - t1) / 1e8) / 10.0);
                out.println(JSON.writeValueAsString(line));
                out.flush();
            }
            Map<String, Object> mean = new LinkedHashMap<>();
            mean.put("case", "quality_one_class_mean");
            mean.put("classes", classes);
            mean.put("epochs", epochs);
            mean.put("per_class_cap", perClassCap);
            aurocs.forEach((score, values) -> mean.put("mean_auroc_" + score,
                    values.stream().mapToDouble(Double::doubleValue).average().orElse(Double.NaN)));
            out.println(JSON.writeValueAsString(mean));
            out.flush();
        } finally {
            try (var s = Files.walk(root)) {
                s.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
            }
        }
    }

    /** Fashion-MNIST's IDX files with at most perClassCap images of each class, in their original order. */
    private Path balancedCopy(Path dir) throws IOException {
        FashionMnistSlice.require();
        Files.createDirectories(dir);
        for (String set : new String[]{"train", "t10k"}) {
            byte[] labels = read(set + "-labels-idx1-ubyte.gz");
            byte[] images = read(set + "-images-idx3-ubyte.gz");
            int n = labels.length - 8;
            int[] taken = new int[10];
            List<Integer> keep = new ArrayList<>();
            for (int i = 0; i < n; i++) {
                int label = labels[8 + i];
                if (perClassCap == 0 || taken[label] < perClassCap) {
                    taken[label]++;
                    keep.add(i);
                }
            }
            write(dir.resolve(set + "-labels-idx1-ubyte.gz"), labels, 8, 1, keep);
            write(dir.resolve(set + "-images-idx3-ubyte.gz"), images, 16, 784, keep);
        }
        return dir;
    }

    private static byte[] read(String name) throws IOException {
        try (InputStream in = new GZIPInputStream(Files.newInputStream(FashionMnistSlice.SOURCE.resolve(name)))) {
            return in.readAllBytes();
        }
    }

    private static void write(Path file, byte[] idx, int header, int recordBytes, List<Integer> keep)
            throws IOException {
        try (OutputStream out = new GZIPOutputStream(Files.newOutputStream(file))) {
            byte[] h = java.util.Arrays.copyOf(idx, header);
            ByteBuffer.wrap(h).putInt(4, keep.size());
            out.write(h);
            for (int i : keep) {
                out.write(idx, header + i * recordBytes, recordBytes);
            }
        }
    }
}
