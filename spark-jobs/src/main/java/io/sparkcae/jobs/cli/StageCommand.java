package io.sparkcae.jobs.cli;

import io.sparkcae.jobs.common.StageContext;
import picocli.CommandLine.Mixin;

import java.util.concurrent.Callable;

/**
 * A subcommand that runs one stage: loads and validates the configuration, stops there on --dry-run, and
 * otherwise runs the stage in a Spark session.
 */
abstract class StageCommand implements Callable<Integer> {
    @Mixin
    CommonOptions options;

    abstract String name();

    abstract StageSession.Stage stage();

    @Override
    public Integer call() throws Exception {
        StageContext ctx = options.context();
        if (options.dryRun) {
            System.out.println(name() + ": configuration valid; run dir " + ctx.runDir());
            return 0;
        }
        StageSession.run(name(), ctx, stage());
        return 0;
    }
}
