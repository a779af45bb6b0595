package io.sparkcae.jobs.cli;

import io.sparkcae.jobs.common.StageContext;
import io.sparkcae.jobs.prep.PrepJob;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;

import java.util.concurrent.Callable;

@Command(name = "prep", mixinStandardHelpOptions = true,
        description = "Read raw images (IDX, PNG/JPEG folders), cut patches, write the Parquet patch dataset to <run-dir>/prep.")
final class PrepCommand implements Callable<Integer> {
    @Mixin
    CommonOptions options;

    @Override
    public Integer call() throws Exception {
        StageContext ctx = options.context();
        if (options.dryRun) {
            System.out.println("prep: configuration valid; input " + ctx.conf().data().effectiveInput());
            return 0;
        }
        StageRunner.run("prep", ctx, PrepJob::run);
        return 0;
    }
}
