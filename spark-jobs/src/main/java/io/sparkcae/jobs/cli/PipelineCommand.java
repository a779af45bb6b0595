package io.sparkcae.jobs.cli;

import io.sparkcae.jobs.common.SparkHadoopConf;
import io.sparkcae.jobs.common.StageContext;
import io.sparkcae.jobs.encode.EncodeJob;
import io.sparkcae.jobs.prep.PrepJob;
import io.sparkcae.jobs.report.ReportJob;
import io.sparkcae.jobs.report.ReportLocation;
import io.sparkcae.jobs.score.ScoreJob;
import io.sparkcae.jobs.train.TrainJob;
import org.apache.spark.sql.SparkSession;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;

import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;

@Command(name = "pipeline", mixinStandardHelpOptions = true,
        description = "Run prep, train, encode, score and report in order in one Spark application; prints where"
                + " the report is.")
final class PipelineCommand implements Callable<Integer> {
    @Mixin
    CommonOptions options;

    @Override
    public Integer call() throws Exception {
        StageContext ctx = options.context();
        org.apache.hadoop.conf.Configuration hadoop = io.sparkcae.jobs.common.SparkHadoopConf.get();
        io.sparkcae.jobs.common.RunDirProbe.requireWritable(ctx.runDir(), hadoop);
        if (options.dryRun) {
            System.out.println("pipeline: dry run ok: configuration valid; run dir " + ctx.runDir() + " writable; "
                    + DryRunChecks.check("pipeline", ctx, null, hadoop));
            return 0;
        }
        boolean owned = SparkSession.getActiveSession().isEmpty() && SparkSession.getDefaultSession().isEmpty();
        long t0 = System.nanoTime();
        try {
            StageSession.run("prep", ctx, PrepJob::run, true);
            StageSession.run("train", ctx, TrainJob::run, true);
            Map<String, Object> m = StageSession.run("encode", ctx, (spark, c) -> EncodeJob.run(spark, c, null), true);
            StageSession.run("score", ctx, (spark, c) -> ScoreJob.run(spark, c, null), true);
            StageSession.run("report", ctx, ReportJob::run, true);
            System.out.printf(Locale.ROOT, "pipeline: done in %.1f s; test_mse=%s test_psnr=%s (outputs in %s)%n",
                    (System.nanoTime() - t0) / 1e9, m.get("test_mse"), m.get("test_psnr"), ctx.runDir());
            // Read back through the commit, as any reader would: the page the run dir now serves.
            System.out.println(ReportLocation.of(ctx, SparkHadoopConf.get()).openLine());
        } finally {
            if (owned) {
                SparkSession.getDefaultSession().foreach(s -> {
                    s.stop();
                    return null;
                });
            }
        }
        return 0;
    }
}
