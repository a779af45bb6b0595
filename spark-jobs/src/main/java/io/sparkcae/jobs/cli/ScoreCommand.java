package io.sparkcae.jobs.cli;

import io.sparkcae.jobs.common.StageContext;
import io.sparkcae.jobs.score.ScoreJob;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

import java.util.concurrent.Callable;

@Command(name = "score", mixinStandardHelpOptions = true,
        description = "Anomaly scoring: per-patch MSE/L1/SSIM and residuals, a threshold from the val split, flags, ROC/PR-AUC; writes <run-dir>/score.")
final class ScoreCommand implements Callable<Integer> {
    @Mixin
    CommonOptions options;

    @Option(names = "--model", paramLabel = "DIR", description = "Model directory (default: <run-dir>/train).")
    String model;

    @Override
    public Integer call() throws Exception {
        StageContext ctx = options.context();
        if (options.dryRun) {
            System.out.println("score: configuration valid");
            return 0;
        }
        StageRunner.run("score", ctx, (spark, c) -> ScoreJob.run(spark, c, model));
        return 0;
    }
}
