package io.sparkcae.jobs.common;

import org.apache.spark.SparkConf;
import org.apache.spark.sql.SparkSession;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Gets the Spark session for a stage. The master comes from spark-submit (or an enclosing Spark session, as in
 * tests); only when nothing set one does a stage fall back to local mode, so `java -cp ... Main` also works.
 */
public final class SparkSessionFactory {
    private static final Logger LOG = LoggerFactory.getLogger(SparkSessionFactory.class);

    private SparkSessionFactory() {
    }

    public static SparkSession getOrCreate(String stage) {
        SparkSession active = SparkSession.getActiveSession().getOrElse(() -> null);
        if (active != null) {
            return active;
        }
        SparkConf conf = new SparkConf();
        SparkSession.Builder b = SparkSession.builder().appName("sparkcae " + stage);
        if (!conf.contains("spark.master")) {
            LOG.info("no Spark master given; running in local mode (local[*])");
            b.master("local[*]");
        }
        String master = conf.get("spark.master", "local[*]");
        if (master.startsWith("local")) {
            // A local run shuffles little data: Spark's default of 200 shuffle partitions only adds tasks.
            b.config("spark.sql.shuffle.partitions", conf.get("spark.sql.shuffle.partitions", "8"));
            // In local mode the executor is this JVM: Spark's default kills it on a task's OutOfMemoryError
            // (exit 52, a stack dump). Depth 0 fails the task instead, so the CLI reports one line and exit 5.
            b.config("spark.executor.killOnFatalError.depth", conf.get("spark.executor.killOnFatalError.depth", "0"));
        }
        return b.getOrCreate();
    }
}
