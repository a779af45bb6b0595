package io.sparkcae.jobs.cli;

import io.sparkcae.jobs.rom.RomJob;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

@Command(name = "rom", mixinStandardHelpOptions = true,
        description = "Reduced-order latents of simulation time series (one patch per step): latent trajectories to Parquet, "
                + "POD energy/ranks and CAE-vs-POD held-out error; writes <run-dir>/rom.")
final class RomCommand extends StageCommand {
    @Option(names = "--model", paramLabel = "DIR", description = "Model directory (default: <run-dir>/train).")
    String model;

    @Override
    String modelDir() {
        return model;
    }

    @Override
    String name() {
        return "rom";
    }

    @Override
    StageSession.Stage stage() {
        return (spark, c) -> RomJob.run(spark, c, model);
    }
}
