package io.sparkcae.jobs.report;

import io.sparkcae.jobs.cli.SparkCaeCli;

/**
 * The report stage as its own Spark application: {@code spark-submit --class io.sparkcae.jobs.report.ReportApp jar [options]}
 * is {@code sparkcae report [options]}.
 */
public final class ReportApp {
    private ReportApp() {
    }

    public static void main(String[] args) {
        SparkCaeCli.main(SparkCaeCli.withCommand("report", args));
    }
}
