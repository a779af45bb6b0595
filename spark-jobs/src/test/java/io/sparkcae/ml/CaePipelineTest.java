package io.sparkcae.ml;

import io.sparkcae.jobs.testing.StageDirs;
import io.sparkcae.jobs.testing.CliRun;
import io.sparkcae.jobs.testing.LocalSpark;
import org.apache.spark.ml.Pipeline;
import org.apache.spark.ml.PipelineModel;
import org.apache.spark.ml.PipelineStage;
import org.apache.spark.ml.clustering.KMeans;
import org.apache.spark.ml.feature.SQLTransformer;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

import javax.imageio.ImageIO;
import java.awt.image.BufferedImage;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * PatchTransformer and CaeEstimator inside Spark's own Pipeline, on a binaryFile DataFrame of PNGs: the
 * patches equal those {@code sparkcae prep} cuts from the same folder, the pipeline fits and transforms,
 * with Spark's KMeans on the latents after it, and the PipelineModel round-trips through save/load.
 */
@ExtendWith(LocalSpark.class)
@Timeout(value = 6, unit = TimeUnit.MINUTES)
class CaePipelineTest {
    private static final int IMAGES = 120;
    @TempDir
    static Path tmp;
    static Path pngs;

    /** Gray 32x32 PNGs of a bright disc of random place and size on a dark noisy background. */
    @BeforeAll
    static void images() throws Exception {
        pngs = Files.createDirectories(tmp.resolve("pngs"));
        Random rnd = new Random(7);
        for (int i = 0; i < IMAGES; i++) {
            BufferedImage img = new BufferedImage(32, 32, BufferedImage.TYPE_BYTE_GRAY);
            int cx = 6 + rnd.nextInt(20);
            int cy = 6 + rnd.nextInt(20);
            int r = 3 + rnd.nextInt(5);
            for (int y = 0; y < 32; y++) {
                for (int x = 0; x < 32; x++) {
                    boolean in = (x - cx) * (x - cx) + (y - cy) * (y - cy) <= r * r;
                    int v = in ? 200 + rnd.nextInt(50) : rnd.nextInt(40);
                    img.getRaster().setSample(x, y, 0, v);
                }
            }
            ImageIO.write(img, "png", pngs.resolve(String.format("img-%03d.png", i)).toFile());
        }
    }

    private static PatchTransformer patcher() {
        return new PatchTransformer().setPatchSize(new int[]{16, 16}).setPatchStride(new int[]{16, 16})
                .setValFraction(0.2);
    }

    @Test
    void patchTransformerCutsThePatchesPrepCuts() {
        SparkSession spark = LocalSpark.get();
        Dataset<Row> files = spark.read().format("binaryFile").load(pngs.toString());
        List<Row> api = patcher().transform(files).orderBy("id").collectAsList();
        assertEquals(IMAGES * 4, api.size());

        Path run = tmp.resolve("prep-run");
        CliRun r = CliRun.of("prep", "--data", pngs.toString(), "--run-dir", run.toString(),
                "--set", "patch.size=[16,16]", "--set", "data.val-fraction=0.2");
        assertEquals(0, r.exitCode(), r.toString());
        List<Row> prep = spark.read().parquet(StageDirs.output(run, "prep").resolve("patches").toString())
                .select("id", "source", "split", "label", "origin", "shape", "data").orderBy("id").collectAsList();
        assertEquals(prep.size(), api.size());
        for (int i = 0; i < api.size(); i++) {
            Row a = api.get(i);
            Row p = prep.get(i);
            assertEquals(p.getString(0), a.getString(0));
            assertEquals(p.getString(1), a.getString(1));
            assertEquals(p.getString(2), a.getString(2), "split of " + p.getString(0));
            assertEquals(p.getList(4), a.getList(4));
            assertEquals(p.getList(5), a.getList(5));
            assertArrayEquals((byte[]) p.get(6), (byte[]) a.get(6), "data of " + p.getString(0));
        }
    }

    /** Spark's image source and a column of value arrays give the same patches as the files' bytes. */
    @Test
    void imageStructsAndValueArraysGiveTheSamePatches() {
        SparkSession spark = LocalSpark.get();
        List<Row> fromBytes = patcher().transform(spark.read().format("binaryFile").load(pngs.toString()))
                .orderBy("id").collectAsList();
        List<Row> fromImages = patcher().setInputCol("image")
                .transform(spark.read().format("image").load(pngs.toString())).orderBy("id").collectAsList();
        // whole images as float arrays with their shape: the form of volumes and simulated fields
        Dataset<Row> wholeImages = new PatchTransformer().setPatchSize(new int[0])
                .transform(spark.read().format("binaryFile").load(pngs.toString()));
        spark.udf().register("floats", (byte[] b) -> {
            float[] f = io.sparkcae.core.tensor.FloatCodec.decode(b);
            Float[] boxed = new Float[f.length];
            for (int i = 0; i < f.length; i++) {
                boxed[i] = f[i];
            }
            return java.util.Arrays.asList(boxed);
        }, org.apache.spark.sql.types.DataTypes.createArrayType(org.apache.spark.sql.types.DataTypes.FloatType));
        Dataset<Row> arrays = wholeImages.selectExpr("source AS name", "floats(data) AS values", "shape");
        List<Row> fromArrays = patcher().setInputCol("values").setSourceCol("name").transform(arrays)
                .orderBy("id").collectAsList();
        assertEquals(IMAGES * 4, fromBytes.size());
        for (List<Row> other : List.of(fromImages, fromArrays)) {
            assertEquals(fromBytes.size(), other.size());
            for (int i = 0; i < fromBytes.size(); i++) {
                Row a = fromBytes.get(i);
                Row b = other.get(i);
                assertEquals(a.getString(0), b.getString(0));
                assertEquals(a.getString(2), b.getString(2));
                assertArrayEquals((byte[]) a.get(6), (byte[]) b.get(6), "data of " + a.getString(0));
            }
        }
    }

    @Test
    void pipelineFitsTransformsAndRoundTrips() throws Exception {
        SparkSession spark = LocalSpark.get();
        Dataset<Row> files = spark.read().format("binaryFile").load(pngs.toString());
        CaeEstimator cae = new CaeEstimator().setEncoderChannels(new int[]{8, 8}).setLatentDim(6).setEpochs(1)
                .setBatchSize(32).setNormalization("minmax");
        // Spark's own stages after ours: clusters of the latent codes, then a projection
        KMeans kmeans = new KMeans().setK(3).setSeed(1).setFeaturesCol("latent").setPredictionCol("cluster");
        SQLTransformer select = new SQLTransformer().setStatement(
                "SELECT id, split, latent, recon_error, anomaly, cluster FROM __THIS__");
        Pipeline pipeline = new Pipeline().setStages(new PipelineStage[]{patcher(), cae, kmeans, select});
        PipelineModel model = pipeline.fit(files);
        Dataset<Row> out = model.transform(files).orderBy("id").cache();
        assertEquals(List.of("id", "split", "latent", "recon_error", "anomaly", "cluster"),
                Arrays.asList(out.columns()));
        List<Row> rows = out.collectAsList();
        assertEquals(IMAGES * 4, rows.size());
        assertEquals(6, rows.get(0).getList(2).size());
        assertTrue(rows.stream().allMatch(r -> Double.isFinite(r.getDouble(3))));
        assertEquals(3, rows.stream().map(r -> r.getInt(5)).distinct().count(), "three clusters used");
        CaeModel fitted = (CaeModel) model.stages()[1];
        assertEquals("minmax", fitted.metadata().normalization().name().toLowerCase());

        String saved = tmp.resolve("pipeline-model").toString();
        model.write().overwrite().save(saved);
        PipelineModel loaded = PipelineModel.load(saved);
        assertEquals(4, loaded.stages().length);
        assertArrayEquals(new int[]{16, 16}, ((PatchTransformer) loaded.stages()[0]).getOrDefault(
                ((PatchTransformer) loaded.stages()[0]).patchSize()));
        List<Row> again = loaded.transform(files).orderBy("id").collectAsList();
        assertEquals(rows.size(), again.size());
        for (int i = 0; i < rows.size(); i++) {
            assertEquals(rows.get(i).getString(0), again.get(i).getString(0));
            assertEquals(rows.get(i).getList(2), again.get(i).getList(2), "latent of " + rows.get(i).getString(0));
            assertEquals(rows.get(i).getDouble(3), again.get(i).getDouble(3), 1e-9);
            assertEquals(rows.get(i).getInt(5), again.get(i).getInt(5));
        }
        // the unfitted pipeline persists too (the estimator's Params)
        String pipelineDir = tmp.resolve("pipeline").toString();
        pipeline.write().overwrite().save(pipelineDir);
        CaeEstimator back = (CaeEstimator) Pipeline.load(pipelineDir).getStages()[1];
        assertEquals(6, back.getLatentDim());
        assertArrayEquals(new int[]{8, 8}, back.getEncoderChannels());
        out.unpersist();
    }
}
