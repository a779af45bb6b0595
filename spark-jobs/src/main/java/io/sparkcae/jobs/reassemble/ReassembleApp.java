package io.sparkcae.jobs.reassemble;

import io.sparkcae.jobs.cli.SparkCaeCli;

/**
 * The reassemble stage as its own Spark application: {@code spark-submit --class io.sparkcae.jobs.reassemble.ReassembleApp jar [options]}
 * is {@code sparkcae reassemble [options]}.
 */
public final class ReassembleApp {
    private ReassembleApp() {
    }

    public static void main(String[] args) {
        SparkCaeCli.main(SparkCaeCli.withCommand("reassemble", args));
    }
}
