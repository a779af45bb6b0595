package io.sparkcae.jobs.cli;

import io.sparkcae.jobs.common.SparkSessionFactory;
import io.sparkcae.jobs.common.StageContext;
import org.apache.spark.sql.SparkSession;

import java.util.Locale;
import java.util.Map;

/** Starts (or joins) the Spark session for a stage, runs it and prints its wall time. */
final class StageSession {
    interface Stage {
        Map<String, Object> run(SparkSession spark, StageContext ctx) throws Exception;
    }

    private StageSession() {
    }

    static Map<String, Object> run(String name, StageContext ctx, Stage stage) throws Exception {
        return run(name, ctx, stage, false);
    }

    /** @param keepSession leave the Spark session running for a following stage (pipeline). */
    static Map<String, Object> run(String name, StageContext ctx, Stage stage, boolean keepSession) throws Exception {
        boolean owned = SparkSession.getActiveSession().isEmpty() && SparkSession.getDefaultSession().isEmpty();
        SparkSession spark = SparkSessionFactory.getOrCreate(name);
        long t0 = System.nanoTime();
        try {
            Map<String, Object> metrics = stage.run(spark, ctx);
            System.out.printf(Locale.ROOT, "%s: done in %.1f s %s%n", name, (System.nanoTime() - t0) / 1e9, metrics);
            return metrics;
        } finally {
            if (owned && !keepSession) {
                spark.stop();
            }
        }
    }
}
