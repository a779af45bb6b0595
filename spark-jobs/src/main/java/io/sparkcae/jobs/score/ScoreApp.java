package io.sparkcae.jobs.score;

import io.sparkcae.jobs.cli.SparkCaeCli;

/**
 * The score stage as its own Spark application: {@code spark-submit --class io.sparkcae.jobs.score.ScoreApp jar [options]}
 * is {@code sparkcae score [options]}.
 */
public final class ScoreApp {
    private ScoreApp() {
    }

    public static void main(String[] args) {
        SparkCaeCli.main(SparkCaeCli.withCommand("score", args));
    }
}
