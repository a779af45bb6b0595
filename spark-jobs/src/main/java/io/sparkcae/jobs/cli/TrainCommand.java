package io.sparkcae.jobs.cli;

import io.sparkcae.jobs.common.StageContext;
import io.sparkcae.jobs.train.TrainJob;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;

import java.util.concurrent.Callable;

@Command(name = "train", mixinStandardHelpOptions = true,
        description = "Train the autoencoder on <run-dir>/prep/patches with Spark parameter averaging; writes <run-dir>/train.")
final class TrainCommand implements Callable<Integer> {
    @Mixin
    CommonOptions options;

    @Override
    public Integer call() throws Exception {
        StageContext ctx = options.context();
        if (options.dryRun) {
            System.out.println("train: configuration valid; model " + ctx.conf().model());
            return 0;
        }
        StageRunner.run("train", ctx, TrainJob::run);
        return 0;
    }
}
