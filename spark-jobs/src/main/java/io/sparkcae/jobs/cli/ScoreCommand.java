package io.sparkcae.jobs.cli;

import io.sparkcae.jobs.score.ScoreJob;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

@Command(name = "score", mixinStandardHelpOptions = true,
        description = "Anomaly scoring: per-patch MSE/L1/SSIM and residuals, a threshold from the val split, flags, ROC/PR-AUC; writes <run-dir>/score.")
final class ScoreCommand extends StageCommand {
    @Option(names = "--model", paramLabel = "DIR", description = "Model directory (default: <run-dir>/train).")
    String model;

    @Override
    String modelDir() {
        return model;
    }

    @Override
    String name() {
        return "score";
    }

    @Override
    StageSession.Stage stage() {
        return (spark, c) -> ScoreJob.run(spark, c, model);
    }
}
