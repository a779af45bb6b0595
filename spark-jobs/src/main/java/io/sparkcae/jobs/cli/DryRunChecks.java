package io.sparkcae.jobs.cli;

import io.sparkcae.core.config.ConfKeys;
import io.sparkcae.core.error.SparkCaeException;
import io.sparkcae.core.tensor.PatchShape;
import io.sparkcae.jobs.common.ModelDirCheck;
import io.sparkcae.jobs.common.ModelMetadata;
import io.sparkcae.jobs.common.StageContext;
import io.sparkcae.jobs.prep.PrepDryRun;
import io.sparkcae.prep.dataset.Manifest;
import io.sparkcae.prep.dataset.ManifestIO;
import org.apache.hadoop.conf.Configuration;

/**
 * The checks of {@code --dry-run} beyond the configuration and the run dir, per stage: everything that needs no
 * Spark job. prep reads its input's headers; a stage after prep needs prep's committed patch dataset; a stage
 * that applies a model needs a sparkcae model dir whose input shape is the patches' shape.
 */
final class DryRunChecks {
    private DryRunChecks() {
    }

    /** Runs the checks of {@code stage}; a one-line summary of what was checked. */
    static String check(String stage, StageContext ctx, String modelDirOrNull, Configuration hadoop) {
        return switch (stage) {
            case "prep" -> "input " + ctx.conf().data().effectiveInput() + ": " + PrepDryRun.check(ctx.conf(), hadoop);
            case "pipeline" -> "input " + ctx.conf().data().effectiveInput() + ": " + PrepDryRun.check(ctx.conf(), hadoop);
            case "train" -> patches(ctx, hadoop) + modelFits(ctx, hadoop) + checkpointDir(ctx, hadoop);
            case "reassemble", "rom", "report" -> patches(ctx, hadoop);
            case "encode", "score" -> {
                String summary = patches(ctx, hadoop);
                String modelDir = modelDirOrNull != null ? modelDirOrNull : ctx.stageDir(StageContext.TRAIN_DIR);
                ModelMetadata meta = ModelDirCheck.inspect(modelDir, hadoop);
                PatchShape model = PatchShape.of(meta.inputShape());
                PatchShape data = ManifestIO.read(ctx.patchesDir(hadoop), hadoop).shape();
                if (!model.equals(data)) {
                    throw SparkCaeException.usage(modelDir + ": the model takes patches of shape " + model + " but "
                            + ctx.patchesDir(hadoop) + " holds patches of shape " + data);
                }
                yield summary + "; model " + modelDir + " takes " + model;
            }
            default -> "configuration";
        };
    }

    /**
     * The configured model must build on the patches' shape (e.g. enough pixels for its pooling steps). Building
     * the network configuration needs no data; its parameters are a few MB at most.
     */
    private static String modelFits(StageContext ctx, Configuration hadoop) {
        PatchShape shape = ManifestIO.read(ctx.patchesDir(hadoop), hadoop).shape();
        try {
            long params = new io.sparkcae.core.model.CaeNetworkBuilder(ctx.conf().model(), shape)
                    .build(ctx.conf().train().learningRate(), ctx.conf().seed()).network().numParams();
            return "; model builds on " + shape + " (" + params + " parameters)";
        } catch (SparkCaeException e) {
            throw e;
        } catch (RuntimeException e) {
            throw SparkCaeException.usage("model.* does not fit patches of shape " + shape + ": " + e.getMessage());
        }
    }

    /** The checkpoint dir, when checkpointing is on, must be a folder (or not exist yet). */
    private static String checkpointDir(StageContext ctx, Configuration hadoop) {
        if (!ctx.conf().train().checkpointing()) {
            return "";
        }
        String configured = ctx.conf().train().checkpointDir();
        String dir = configured.isBlank() ? new org.apache.hadoop.fs.Path(ctx.runDir(), "checkpoints").toString() : configured;
        try {
            org.apache.hadoop.fs.Path p = new org.apache.hadoop.fs.Path(dir);
            org.apache.hadoop.fs.FileSystem fs = p.getFileSystem(hadoop);
            if (fs.exists(p) && !fs.getFileStatus(p).isDirectory()) {
                throw SparkCaeException.usage(ConfKeys.CHECKPOINT_DIR + " " + dir + ": is a file, not a folder for"
                        + " checkpoints");
            }
        } catch (java.io.IOException e) {
            throw SparkCaeException.usage(ConfKeys.CHECKPOINT_DIR + " " + dir + ": " + e.getMessage());
        }
        return "; checkpoints in " + dir;
    }

    private static String patches(StageContext ctx, Configuration hadoop) {
        Manifest m = ManifestIO.read(ctx.patchesDir(hadoop), hadoop);
        return "patches " + ctx.patchesDir(hadoop) + ": " + m.shape() + ", counts " + m.counts();
    }
}
