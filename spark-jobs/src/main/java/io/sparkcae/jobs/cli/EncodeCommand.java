package io.sparkcae.jobs.cli;

import io.sparkcae.jobs.common.StageContext;
import io.sparkcae.jobs.encode.EncodeJob;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

import java.util.concurrent.Callable;

@Command(name = "encode", mixinStandardHelpOptions = true,
        description = "Encode every patch to its latent vector and reconstruction error; writes <run-dir>/encode.")
final class EncodeCommand implements Callable<Integer> {
    @Mixin
    CommonOptions options;

    @Option(names = "--model", paramLabel = "DIR", description = "Model directory (default: <run-dir>/train).")
    String model;

    @Override
    public Integer call() throws Exception {
        StageContext ctx = options.context();
        if (options.dryRun) {
            System.out.println("encode: configuration valid");
            return 0;
        }
        StageRunner.run("encode", ctx, (spark, c) -> EncodeJob.run(spark, c, model));
        return 0;
    }
}
