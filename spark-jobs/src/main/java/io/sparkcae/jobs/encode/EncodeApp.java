package io.sparkcae.jobs.encode;

import io.sparkcae.jobs.cli.SparkCaeCli;

/**
 * The encode stage as its own Spark application: {@code spark-submit --class io.sparkcae.jobs.encode.EncodeApp jar [options]}
 * is {@code sparkcae encode [options]}.
 */
public final class EncodeApp {
    private EncodeApp() {
    }

    public static void main(String[] args) {
        SparkCaeCli.main(SparkCaeCli.withCommand("encode", args));
    }
}
