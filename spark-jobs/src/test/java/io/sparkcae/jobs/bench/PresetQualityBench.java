package io.sparkcae.jobs.bench;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.sparkcae.core.config.SparkCaeConf;
import io.sparkcae.jobs.common.IfExists;
import io.sparkcae.jobs.common.SparkSessionFactory;
import io.sparkcae.jobs.common.StageContext;
import io.sparkcae.jobs.encode.EncodeJob;
import io.sparkcae.jobs.prep.PrepJob;
import io.sparkcae.jobs.testing.FashionMnistSlice;
import io.sparkcae.jobs.train.TrainJob;
import org.apache.spark.sql.SparkSession;

import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * {@code bench quality --presets}: the model presets side by side on Fashion-MNIST, as the quickstart trains them
 * (Spark local mode, one worker, the preset's own epochs unless {@code --epochs} says otherwise). Prep runs once;
 * each preset trains in its own sub-run, then encodes, which gives the test split's MSE (the figure the
 * quickstart prints). One JSON line per preset and epoch (val MSE, epoch seconds), then one summary line per
 * preset: train-stage seconds, test MSE, and the settings that differ between presets.
 */
public final class PresetQualityBench {
    private static final ObjectMapper JSON = new ObjectMapper();

    /** One preset's configuration as the loader made it (user file and --set on top). */
    public record Preset(String name, SparkCaeConf conf) {
    }

    private final List<Preset> presets;
    private final Integer epochs;
    private final int rows;

    /**
     * @param epochs training epochs for every preset, or null for each preset's own
     * @param rows   training images taken from the start of Fashion-MNIST's train set (0 = all)
     */
    public PresetQualityBench(List<Preset> presets, Integer epochs, int rows) {
        WorkerQualityBench.trainImages(rows);
        this.presets = List.copyOf(presets);
        this.epochs = epochs;
        this.rows = rows;
    }

    public void run(PrintStream out) throws Exception {
        Path root = Files.createTempDirectory("sparkcae-bench-presets");
        try {
            Path data = FashionMnistSlice.write(root.resolve("fmnist"), WorkerQualityBench.trainImages(rows),
                    WorkerQualityBench.TEST_IMAGES);
            SparkSession spark = SparkSessionFactory.getOrCreate("bench-quality");
            StageContext prep = new StageContext(benchConf(presets.get(0).conf(), data), root.resolve("run").toString(),
                    IfExists.OVERWRITE);
            PrepJob.run(spark, prep);
            for (Preset p : presets) {
                SparkCaeConf conf = benchConf(p.conf(), data);
                StageContext sub = prep.subRun(root.resolve("preset-" + p.name()).toString(), conf, IfExists.OVERWRITE);
                long t0 = System.nanoTime();
                TrainJob.run(spark, sub);
                double trainSeconds = (System.nanoTime() - t0) / 1e9;
                List<JsonNode> history = WorkerQualityBench.history(Path.of(sub.runDir()));
                for (JsonNode epoch : history) {
                    Map<String, Object> line = header(p.name(), conf);
                    line.put("epoch", epoch.get("epoch").asInt());
                    line.put("val_mse", epoch.get("val_mse").asDouble());
                    line.put("epoch_s", epoch.path("epoch_s").asDouble());
                    out.println(JSON.writeValueAsString(line));
                    out.flush();
                }
                Map<String, Object> encoded = EncodeJob.run(spark, sub, null);
                Map<String, Object> line = header(p.name(), conf);
                line.put("case", "quality_preset_summary");
                line.put("train_stage_s", Math.round(trainSeconds * 10) / 10.0);
                line.put("val_mse", history.isEmpty() ? null : history.get(history.size() - 1).get("val_mse").asDouble());
                line.put("test_mse", encoded.get("test_mse"));
                out.println(JSON.writeValueAsString(line));
                out.flush();
            }
        } finally {
            try (var s = Files.walk(root)) {
                s.sorted(Comparator.reverseOrder()).forEach(f -> f.toFile().delete());
            }
        }
    }

    private SparkCaeConf benchConf(SparkCaeConf conf, Path data) {
        Map<String, Object> set = new HashMap<>(Map.of("data.input", data.toString(),
                "train.checkpoint-every-epochs", 0, "train.checkpoint-every-iterations", 0,
                "train.early-stopping-patience", 0));
        if (epochs != null) {
            set.put("train.epochs", epochs);
        }
        return conf.with(set);
    }

    private static Map<String, Object> header(String preset, SparkCaeConf conf) {
        Map<String, Object> line = new LinkedHashMap<>();
        line.put("case", "quality_preset");
        line.put("preset", preset);
        line.put("encoder_channels", Arrays.toString(conf.model().encoderChannels()));
        line.put("latent_dim", conf.model().latentDim());
        line.put("epochs", conf.train().epochs());
        line.put("batch", conf.train().batchSize());
        line.put("lr_schedule", conf.train().lrSchedule().name().toLowerCase(Locale.ROOT));
        line.put("learning_rate", conf.train().learningRate());
        return line;
    }
}
