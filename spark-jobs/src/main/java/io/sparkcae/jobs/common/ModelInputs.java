package io.sparkcae.jobs.common;

import io.sparkcae.core.error.SparkCaeException;
import io.sparkcae.core.tensor.PatchShape;
import io.sparkcae.prep.dataset.PatchDataset;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FileSystem;
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
        PatchDataset patches = PatchDataset.open(spark, ctx.patchesDir());
        ModelDirCheck.inspect(modelDir, hadoop); // a clear sentence for a random file or foreign zip, before DL4J reads it
        ModelStore.Loaded loaded = ModelStore.load(modelDir, hadoop);
        PatchShape expected = PatchShape.of(loaded.metadata().inputShape());
        if (!expected.equals(patches.manifest().shape())) {
            throw SparkCaeException.usage(modelDir + ": the model takes patches of shape " + expected + " but "
                    + patches.dir() + " holds patches of shape " + patches.manifest().shape());
        }
        FileSystem fs = new Path(modelDir).getFileSystem(hadoop);
        String fingerprint = StageOutput.readFingerprint(fs, new Path(ctx.stageDir(StageContext.PREP_DIR))) + "|"
                + StageOutput.readFingerprint(fs, new Path(modelDir));
        return new ModelInputs(patches, loaded, modelDir, fingerprint);
    }

    public PatchShape shape() {
        return PatchShape.of(model.metadata().inputShape());
    }
}
