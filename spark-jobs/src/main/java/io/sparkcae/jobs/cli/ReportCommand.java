package io.sparkcae.jobs.cli;

import io.sparkcae.jobs.common.StageContext;
import io.sparkcae.jobs.report.ReportJob;
import io.sparkcae.jobs.report.ReportLocation;
import org.apache.hadoop.conf.Configuration;
import picocli.CommandLine.Command;

@Command(name = "report", mixinStandardHelpOptions = true,
        description = "Write <run-dir>/report/report.html: metrics and figures of every committed stage, and a PCA map of the latents.")
final class ReportCommand extends StageCommand {
    @Override
    String name() {
        return "report";
    }

    @Override
    StageSession.Stage stage() {
        return ReportJob::run;
    }

    @Override
    void afterRun(StageContext ctx, Configuration hadoop) {
        System.out.println(ReportLocation.of(ctx, hadoop).openLine());
    }
}
