package io.sparkcae.jobs.rom;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.sparkcae.core.config.SparkCaeConf;
import io.sparkcae.jobs.common.BroadcastModel;
import io.sparkcae.jobs.common.IfExists;
import io.sparkcae.jobs.common.ModelStore;
import io.sparkcae.jobs.scoring.PatchScorer;
import io.sparkcae.jobs.common.StageContext;
import io.sparkcae.jobs.train.TrainJob;
import org.apache.hadoop.fs.Path;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * The CAE half of rom's error-vs-latent-size curve: one CAE per size in {@code sparkcae.rom.latent-sizes},
 * each trained by the train stage itself ({@link TrainJob}) with the run's config but {@code model.latent-dim}
 * set to the size, into {@code <run-dir>/rom-models/latent-<k>} on the run's own patches, then scored on the
 * test split in the same units as POD (per-value MSE of the normalised snapshot).
 *
 * <p>Each model is an ordinary committed train output, fingerprinted by its config and the prep output, so
 * a repeated rom (or one that died half-way through the sweep) trains only the sizes that have no model
 * yet; {@code --if-exists overwrite} retrains them all. The train stage's own model is reused for its size
 * when it was trained with exactly the derived config.
 */
final class LatentSizeSweep {
    private static final Logger LOG = LoggerFactory.getLogger(LatentSizeSweep.class);
    static final String MODELS_DIR = "rom-models";

    private LatentSizeSweep() {
    }

    /** One point of the CAE curve. */
    record Point(int latentSize, double testMse, String modelDir, boolean reused) {
    }

    /**
     * @param mainModel    the model rom was given (its latent trajectories are written), reused for its size
     *                     when its training config equals the derived one
     * @param mainTestMse  that model's held-out error, already measured
     */
    static List<Point> run(SparkSession spark, StageContext ctx, Dataset<Row> testRows, ModelStore.Loaded mainModel,
                           String mainModelDir, double mainTestMse) throws Exception {
        SparkCaeConf base = ctx.conf();
        IfExists policy = ctx.ifExists() == IfExists.OVERWRITE ? IfExists.OVERWRITE : IfExists.SKIP;
        List<Point> points = new ArrayList<>();
        for (int k : base.rom().latentSizes()) {
            SparkCaeConf conf = base.with(Map.of("model.latent-dim", k, "rom.latent-sizes", List.of(),
                    "train.checkpoint-dir", ""));
            if (mainModel.metadata().latentSize() == k && sameTraining(mainModel.metadata().config(), conf)) {
                LOG.info("rom sweep: latent size {}: the train stage's model {} was trained with this config; reusing it",
                        k, mainModelDir);
                points.add(new Point(k, mainTestMse, mainModelDir, true));
                continue;
            }
            String subRun = new Path(new Path(ctx.runDir(), MODELS_DIR), "latent-" + k).toString();
            LOG.info("rom sweep: latent size {} -> {}", k, subRun);
            spark.sparkContext().setJobDescription("sparkcae rom: train the latent-" + k + " CAE");
            TrainJob.run(spark, ctx.subRun(subRun, conf, policy));
            String modelDir = new Path(subRun, StageContext.TRAIN_DIR).toString();
            ModelStore.Loaded model = ModelStore.load(modelDir, spark.sparkContext().hadoopConfiguration());
            spark.sparkContext().setJobDescription("sparkcae rom: held-out error of the latent-" + k + " CAE");
            double mse = BroadcastModel.using(spark, model.model(), bm -> PatchScorer.meanMse(new PatchScorer(bm,
                    model.metadata().normalizer(), base.encode().batchSize(), java.util.Set.of()).rows(testRows)));
            LOG.info("rom sweep: latent size {}: held-out MSE {}", k, mse);
            points.add(new Point(k, mse, modelDir, false));
        }
        return points;
    }

    /** The same training config apart from the rom section (which only says which sizes to sweep). */
    private static boolean sameTraining(JsonNode trainedWith, SparkCaeConf derived) throws Exception {
        if (trainedWith == null || !trainedWith.isObject()) {
            return false;
        }
        ObjectNode a = ((ObjectNode) trainedWith).deepCopy();
        ObjectNode b = (ObjectNode) new ObjectMapper().readTree(derived.toJson());
        a.remove("rom");
        b.remove("rom");
        return a.equals(b);
    }
}
