package io.sparkcae.jobs.cli;

import io.sparkcae.jobs.common.RunDirProbe;
import io.sparkcae.jobs.common.SparkHadoopConf;
import io.sparkcae.jobs.common.StageContext;
import org.apache.hadoop.conf.Configuration;
import picocli.CommandLine.Mixin;

import java.util.concurrent.Callable;

/**
 * A subcommand that runs one stage: loads and validates the configuration, checks the run dir can be written,
 * stops after the stage's dry-run checks ({@link DryRunChecks}) on --dry-run, and otherwise runs the stage in a
 * Spark session.
 */
abstract class StageCommand implements Callable<Integer> {
    @Mixin
    CommonOptions options;

    abstract String name();

    abstract StageSession.Stage stage();

    /** The --model of a stage that applies one; null for the run's own train output. */
    String modelDir() {
        return null;
    }

    /** What to print after the stage committed (the Spark session is stopped by then); nothing by default. */
    void afterRun(StageContext ctx, Configuration hadoop) {
    }

    @Override
    public Integer call() throws Exception {
        StageContext ctx = options.context();
        // Before Spark starts: an unusable run dir would otherwise fail in the first task, deep in a writer.
        Configuration hadoop = SparkHadoopConf.get();
        RunDirProbe.requireWritable(ctx.runDir(), hadoop);
        if (options.dryRun) {
            String checked = DryRunChecks.check(name(), ctx, modelDir(), hadoop);
            System.out.println(name() + ": dry run ok: configuration valid; run dir " + ctx.runDir() + " writable; "
                    + checked);
            return 0;
        }
        StageSession.run(name(), ctx, stage());
        afterRun(ctx, SparkHadoopConf.get());
        return 0;
    }
}
