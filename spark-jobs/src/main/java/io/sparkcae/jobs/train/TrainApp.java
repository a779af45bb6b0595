package io.sparkcae.jobs.train;

import io.sparkcae.jobs.cli.SparkCaeCli;

/**
 * The train stage as its own Spark application: {@code spark-submit --class io.sparkcae.jobs.train.TrainApp jar [options]}
 * is {@code sparkcae train [options]}.
 */
public final class TrainApp {
    private TrainApp() {
    }

    public static void main(String[] args) {
        SparkCaeCli.main(SparkCaeCli.withCommand("train", args));
    }
}
