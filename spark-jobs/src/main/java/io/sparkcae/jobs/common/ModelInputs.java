package io.sparkcae.jobs.common;

import io.sparkcae.core.error.SparkCaeException;
import io.sparkcae.core.tensor.PatchShape;
import io.sparkcae.prep.dataset.PatchDataset;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.Path;
import org.apache.spark.sql.SparkSession;

import java.io.IOException;

/**
 * What a stage that applies a trained model reads: the committed patch dataset and model, checked to fit
 * each other, and the fingerprint of both for its own commit.
 */
public record ModelInputs(PatchDataset patches, ModelStore.Loaded model, String modelDir, String inputsFingerprint) {

    public static ModelInputs load(SparkSession spark, StageContext ctx, String modelDirOrNull) throws IOException {
        Configuration hadoop = spark.sparkContext().hadoopConfiguration();
        String modelDir = modelDirOrNull != null ? modelDirOrNull : ctx.stageDir(StageContext.TRAIN_DIR);
        CommittedStage prep = CommittedStage.require(ctx.stageDir(StageContext.PREP_DIR), StageContext.PREP_DIR, hadoop);
        PatchDataset patches = PatchDataset.open(spark, new Path(prep.dir(), StageContext.PATCHES).toString());
        // the run's own train output must be committed; --model may also name a plain model dir (the library's)
        CommittedStage train = modelDirOrNull == null
                ? CommittedStage.require(modelDir, StageContext.TRAIN_DIR, hadoop) : CommittedStage.read(modelDir, hadoop);
        String resolved = train == null ? modelDir : train.dir().toString();
        ModelDirCheck.inspect(resolved, hadoop); // a clear sentence for a random file or foreign zip, before DL4J reads it
        ModelStore.Loaded loaded = ModelStore.load(resolved, hadoop);
        PatchShape expected = PatchShape.of(loaded.metadata().inputShape());
        if (!expected.equals(patches.manifest().shape())) {
            throw SparkCaeException.usage(modelDir + ": the model takes patches of shape " + expected + " but "
                    + patches.dir() + " holds patches of shape " + patches.manifest().shape());
        }
        // a model saved outside a stage commit (the library API) is identified by its bytes
        String modelFingerprint = train != null ? train.fingerprint() : Fingerprint.ofBytes(loaded.zipBytes());
        return new ModelInputs(patches, loaded, modelDir, prep.fingerprint() + "|" + modelFingerprint);
    }

    public PatchShape shape() {
        return PatchShape.of(model.metadata().inputShape());
    }
}
