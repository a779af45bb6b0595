package io.sparkcae.jobs.cli;

import io.sparkcae.jobs.train.TrainJob;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

@Command(name = "train", mixinStandardHelpOptions = true,
        description = "Train the autoencoder on <run-dir>/prep/patches with Spark parameter averaging; writes <run-dir>/train.")
final class TrainCommand extends StageCommand {
    @Option(names = "--resume", description = "Continue from the latest checkpoint of this run (the train.checkpoint-dir setting), if any.")
    boolean resume;

    @Override
    String name() {
        return "train";
    }

    @Override
    StageSession.Stage stage() {
        return (spark, ctx) -> TrainJob.run(spark, ctx, resume);
    }
}
