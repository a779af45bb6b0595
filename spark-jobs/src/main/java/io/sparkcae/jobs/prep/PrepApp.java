package io.sparkcae.jobs.prep;

import io.sparkcae.jobs.cli.SparkCaeCli;

/**
 * The prep stage as its own Spark application: {@code spark-submit --class io.sparkcae.jobs.prep.PrepApp jar [options]}
 * is {@code sparkcae prep [options]}.
 */
public final class PrepApp {
    private PrepApp() {
    }

    public static void main(String[] args) {
        SparkCaeCli.main(SparkCaeCli.withCommand("prep", args));
    }
}
