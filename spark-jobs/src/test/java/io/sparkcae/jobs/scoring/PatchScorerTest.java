package io.sparkcae.jobs.scoring;

import io.sparkcae.core.config.DataConf;
import io.sparkcae.core.config.SparkCaeConf;
import io.sparkcae.core.metrics.Ssim;
import io.sparkcae.core.model.CaeModel;
import io.sparkcae.core.model.CaeNetworkBuilder;
import io.sparkcae.core.model.ModelForward;
import io.sparkcae.core.tensor.ChannelNormalizer;
import io.sparkcae.core.tensor.FloatCodec;
import io.sparkcae.core.tensor.PatchShape;
import io.sparkcae.jobs.common.BroadcastModel;
import io.sparkcae.jobs.testing.LocalSpark;
import io.sparkcae.prep.dataset.PatchSchema;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.SparkSession;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

import java.util.ArrayList;
import java.util.EnumSet;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * The batched pass gives every row what the model and the metrics give for that patch alone: the latent, MSE,
 * L1, SSIM and residual, over batches that split a partition unevenly (a last short batch) and cross SSIM's
 * batching of patches.
 */
@ExtendWith(LocalSpark.class)
class PatchScorerTest {
    private static final PatchShape SHAPE = PatchShape.of(1, 16, 16);
    private static final int ROWS = 150;

    @Test
    void everyRowMatchesItsPatchScoredAlone() throws Exception {
        SparkSession spark = LocalSpark.get();
        SparkCaeConf conf = SparkCaeConf.defaults();
        CaeModel model = new CaeNetworkBuilder(conf.model(), SHAPE).build(conf.train().learningRate(), 7);
        Map<String, float[]> patches = new HashMap<>();
        List<Row> rows = new ArrayList<>();
        Random rnd = new Random(3);
        for (int i = 0; i < ROWS; i++) {
            float[] v = new float[SHAPE.elementCount()];
            for (int k = 0; k < v.length; k++) {
                v[k] = (float) (0.5 + 0.4 * Math.sin(0.3 * k + i) * rnd.nextFloat());
            }
            patches.put("p" + i, v);
            rows.add(RowFactory.create("p" + i, "s", "test", null, new Integer[]{0, 0}, new Integer[]{1, 16, 16},
                    FloatCodec.encode(v)));
        }
        Dataset<Row> in = spark.createDataFrame(rows, PatchSchema.SCHEMA).repartition(2);
        ChannelNormalizer identity = ChannelNormalizer.of(DataConf.Normalization.NONE, new double[]{0},
                new double[]{1}, new double[]{0}, new double[]{1});
        List<Row> scored = BroadcastModel.using(spark, model, bm -> new PatchScorer(bm, identity, 48,
                EnumSet.allOf(PatchScorer.Output.class)).score(spark, in).collectAsList());
        assertEquals(ROWS, scored.size());

        int per = SHAPE.elementCount();
        for (Row r : scored) {
            String id = r.getAs(PatchSchema.ID);
            float[] x = patches.get(id);
            ModelForward alone = model.forward(Nd4j.create(x, SHAPE.batchShape(1)));
            float[] y = alone.reconstruction().dup('c').data().asFloat();
            double se = 0;
            double ae = 0;
            float[] residual = new float[per];
            for (int k = 0; k < per; k++) {
                residual[k] = y[k] - x[k];
                se += (double) residual[k] * residual[k];
                ae += Math.abs(residual[k]);
            }
            INDArray z = alone.latent();
            List<Float> stored = r.getList(r.fieldIndex(PatchScorer.LATENT));
            float[] latent = new float[stored.size()];
            for (int k = 0; k < latent.length; k++) {
                latent[k] = stored.get(k);
            }
            assertArrayEquals(z.dup('c').data().asFloat(), latent, 1e-5f, id + " latent");
            assertEquals(se / per, r.<Double>getAs(PatchScorer.MSE), 1e-6, id + " mse");
            assertEquals(ae / per, r.<Double>getAs(PatchScorer.L1), 1e-5, id + " l1");
            assertEquals(Ssim.of(x, y, SHAPE, 1.0), r.<Double>getAs(PatchScorer.SSIM), 1e-5, id + " ssim");
            assertArrayEquals(residual, FloatCodec.decode(r.getAs(PatchScorer.RESIDUAL)), 1e-5f, id + " residual");
        }
    }
}
