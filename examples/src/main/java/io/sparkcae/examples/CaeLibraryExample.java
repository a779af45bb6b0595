package io.sparkcae.examples;

import io.sparkcae.ml.CaeEstimator;
import io.sparkcae.ml.CaeModel;
import io.sparkcae.ml.PatchTransformer;
import org.apache.spark.ml.Pipeline;
import org.apache.spark.ml.PipelineModel;
import org.apache.spark.ml.PipelineStage;
import org.apache.spark.ml.param.ParamMap;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;

import javax.imageio.ImageIO;
import java.awt.image.BufferedImage;
import java.io.File;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Random;

import static org.apache.spark.sql.functions.avg;
import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.count;
import static org.apache.spark.sql.functions.when;

/**
 * sparkcae as a library, in Spark local mode: images read with Spark's binaryFile source are cut into
 * patches (PatchTransformer), a convolutional autoencoder is fitted on them (CaeEstimator), saved, loaded
 * back and applied (CaeModel: latent, recon_error, anomaly); then the same as one Spark ML Pipeline, saved
 * and loaded as a PipelineModel.
 *
 * <p>Usage: {@code CaeLibraryExample WORK_DIR [IMAGE_DIR]}. Without IMAGE_DIR it draws 240 small PNGs
 * (bright discs on a dark, noisy background) into WORK_DIR/images. Exits non-zero when a check fails.
 */
public final class CaeLibraryExample {
    private CaeLibraryExample() {
    }

    public static void main(String[] args) throws Exception {
        if (args.length < 1) {
            System.err.println("usage: CaeLibraryExample WORK_DIR [IMAGE_DIR]");
            System.exit(2);
        }
        Path work = Path.of(args[0]).toAbsolutePath();
        Path images = args.length > 1 ? Path.of(args[1]) : drawImages(work.resolve("images"), 240);
        long t0 = System.nanoTime();

        SparkSession spark = SparkSession.builder()
                .master("local[2]")
                .appName("sparkcae-library-example")
                .config("spark.driver.host", "127.0.0.1")
                .config("spark.ui.enabled", "false")
                .config("spark.sql.shuffle.partitions", "4")
                .getOrCreate();
        try {
            // 1. images -> patches (id, source, split, label, origin, shape, data)
            Dataset<Row> files = spark.read().format("binaryFile").load(images.toString());
            PatchTransformer patcher = new PatchTransformer()
                    .setPatchSize(new int[]{16, 16})
                    .setPatchStride(new int[]{8, 8})
                    .setValFraction(0.2);
            Dataset<Row> patches = patcher.transform(files).cache();
            System.out.println("patches: " + patches.count() + " by split: "
                    + patches.groupBy("split").count().collectAsList());

            // 2. fit; every setting left unset keeps its default from conf/sparkcae-defaults.conf
            CaeEstimator estimator = new CaeEstimator()
                    .setEncoderChannels(new int[]{8, 8})
                    .setLatentDim(8)
                    .setEpochs(2)
                    .setBatchSize(32)
                    .setNormalization("minmax");
            CaeModel model = estimator.fit(patches);
            System.out.printf("fitted: latent size %d, best val MSE %.5f, anomaly threshold %.5f%n",
                    model.latentSize(), model.metadata().bestValMse(), model.threshold().value());

            // 3. save (the same model directory `sparkcae train` writes), load, transform
            String modelDir = work.resolve("model").toUri().toString();
            model.write().overwrite().save(modelDir);
            CaeModel loaded = CaeModel.load(modelDir);
            Dataset<Row> scored = loaded.transform(patches);
            scored.select("id", "split", "latent", "recon_error", "anomaly").show(5, 60);
            Row summary = scored.agg(count("*"), avg("recon_error"),
                    avg(when(col("anomaly"), 1.0).otherwise(0.0))).first();
            System.out.printf("transformed %d patches: mean recon error %.5f, %.1f%% flagged%n",
                    summary.getLong(0), summary.getDouble(1), 100 * summary.getDouble(2));
            check(summary.getLong(0) == patches.count(), "one output row per patch");
            List<Row> before = model.transform(patches).orderBy("id").select("latent").limit(20).collectAsList();
            List<Row> after = scored.orderBy("id").select("latent").limit(20).collectAsList();
            check(before.equals(after), "the loaded model gives the saved model's latents");

            // 4. the same as one Pipeline with Spark's own PipelineModel persistence
            CaeEstimator quick = estimator.copy(new ParamMap()).setEpochs(1);
            Pipeline pipeline = new Pipeline().setStages(new PipelineStage[]{patcher, quick});
            PipelineModel fitted = pipeline.fit(files);
            String pipelineDir = work.resolve("pipeline-model").toUri().toString();
            fitted.write().overwrite().save(pipelineDir);
            long rows = PipelineModel.load(pipelineDir).transform(files).filter(col("anomaly")).count();
            System.out.println("pipeline model loaded back; anomalous patches: " + rows);
        } finally {
            spark.stop();
        }
        System.out.printf("example done in %.1f s%n", (System.nanoTime() - t0) / 1e9);
    }

    private static void check(boolean ok, String what) {
        if (!ok) {
            throw new IllegalStateException("check failed: " + what);
        }
        System.out.println("ok: " + what);
    }

    /** Gray 32x32 PNGs: a bright disc of random place and size on dark noise. */
    static Path drawImages(Path dir, int n) throws IOException {
        Files.createDirectories(dir);
        Random rnd = new Random(42);
        for (int i = 0; i < n; i++) {
            BufferedImage img = new BufferedImage(32, 32, BufferedImage.TYPE_BYTE_GRAY);
            int cx = 6 + rnd.nextInt(20);
            int cy = 6 + rnd.nextInt(20);
            int r = 3 + rnd.nextInt(6);
            for (int y = 0; y < 32; y++) {
                for (int x = 0; x < 32; x++) {
                    boolean in = (x - cx) * (x - cx) + (y - cy) * (y - cy) <= r * r;
                    img.getRaster().setSample(x, y, 0, in ? 190 + rnd.nextInt(60) : rnd.nextInt(50));
                }
            }
            ImageIO.write(img, "png", new File(dir.toFile(), String.format("disc-%03d.png", i)));
        }
        return dir;
    }
}
