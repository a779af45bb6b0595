package io.sparkcae.jobs.common;

import org.apache.hadoop.conf.Configuration;
import org.apache.spark.SparkConf;
import org.apache.spark.sql.SparkSession;
import scala.Tuple2;

/**
 * The Hadoop configuration a command must use for files, also before its Spark session exists (the run-dir
 * probe and dry runs run first): the Spark session's own when one is running, else Hadoop's defaults plus every
 * {@code spark.hadoop.*} setting that spark-submit, {@code --conf} or spark-defaults.conf gave, as Spark itself
 * builds the Spark session's. Without it a check would reach S3 or HDFS with other settings than the stage.
 */
public final class SparkHadoopConf {
    private static final String PREFIX = "spark.hadoop.";

    private SparkHadoopConf() {
    }

    public static Configuration get() {
        scala.Option<SparkSession> active = SparkSession.getActiveSession();
        if (active.isDefined()) {
            return active.get().sparkContext().hadoopConfiguration();
        }
        Configuration conf = new Configuration();
        for (Tuple2<String, String> kv : new SparkConf().getAll()) {
            if (kv._1().startsWith(PREFIX)) {
                conf.set(kv._1().substring(PREFIX.length()), kv._2());
            }
        }
        return conf;
    }
}
