package io.sparkcae.jobs.testing;

import org.apache.spark.sql.SparkSession;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * Lends one local Spark session (local[2], loopback only, no UI) to every Spark test in the JVM; stages
 * under test join it instead of starting their own, as they would join spark-submit's.
 */
public final class LocalSpark implements BeforeAllCallback {
    private static SparkSession spark;

    @Override
    public void beforeAll(ExtensionContext context) {
        get();
    }

    public static synchronized SparkSession get() {
        if (spark == null || spark.sparkContext().isStopped()) {
            spark = SparkSession.builder()
                    .master("local[2]")
                    .appName("sparkcae-tests")
                    .config("spark.driver.host", "127.0.0.1")
                    .config("spark.driver.bindAddress", "127.0.0.1")
                    .config("spark.ui.enabled", "false")
                    .config("spark.sql.shuffle.partitions", "4")
                    .getOrCreate();
            Runtime.getRuntime().addShutdownHook(new Thread(spark::stop));
        }
        SparkSession.setActiveSession(spark);
        SparkSession.setDefaultSession(spark);
        return spark;
    }
}
