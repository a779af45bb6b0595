package io.sparkcae.jobs.cli;

import io.sparkcae.jobs.train.TrainJob;
import picocli.CommandLine.Command;

@Command(name = "train", mixinStandardHelpOptions = true,
        description = "Train the autoencoder on <run-dir>/prep/patches with Spark parameter averaging; writes <run-dir>/train.")
final class TrainCommand extends StageCommand {
    @Override
    String name() {
        return "train";
    }

    @Override
    StageRunner.Stage stage() {
        return TrainJob::run;
    }
}
