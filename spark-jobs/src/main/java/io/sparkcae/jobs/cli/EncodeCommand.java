package io.sparkcae.jobs.cli;

import io.sparkcae.jobs.encode.EncodeJob;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

@Command(name = "encode", mixinStandardHelpOptions = true,
        description = "Encode every patch to its latent vector and reconstruction error; writes <run-dir>/encode.")
final class EncodeCommand extends StageCommand {
    @Option(names = "--model", paramLabel = "DIR", description = "Model directory (default: <run-dir>/train).")
    String model;

    @Override
    String modelDir() {
        return model;
    }

    @Override
    String name() {
        return "encode";
    }

    @Override
    StageSession.Stage stage() {
        return (spark, c) -> EncodeJob.run(spark, c, model);
    }
}
