package io.sparkcae.prep.readers;

import org.apache.hadoop.conf.Configuration;

import java.io.IOException;
import java.io.ObjectInputStream;
import java.io.ObjectOutputStream;
import java.io.Serial;
import java.io.Serializable;

/**
 * The Hadoop configuration readers open their files with, in a form that travels inside a serialized reader
 * to the tasks. Stages pass the Spark session's configuration, so every {@code spark.hadoop.*} setting
 * (an S3 endpoint, credentials, HDFS client options) applies on the driver while planning and on the
 * executors while reading. Hadoop's {@link Configuration} is not {@link Serializable}; this holder writes
 * it with Hadoop's own {@code write}/{@code readFields}, as Spark's internal holder does.
 */
public final class StorageConf implements Serializable {
    @Serial
    private static final long serialVersionUID = 1L;

    private transient Configuration conf;

    private StorageConf(Configuration conf) {
        this.conf = conf;
    }

    /**
     * A snapshot of {@code conf}: later changes to the Spark session's configuration do not reach readers already
     * built, which keeps the driver's plan and the tasks' reads on one configuration.
     */
    public static StorageConf of(Configuration conf) {
        return new StorageConf(new Configuration(conf));
    }

    /**
     * Hadoop's defaults plus any core-site.xml on the classpath: for callers without a Spark session
     * (library use, unit tests). Stages never use this; they pass the Spark session's configuration.
     */
    public static StorageConf hadoopDefaults() {
        return new StorageConf(new Configuration());
    }

    /** The configuration; callers must not change it. */
    public Configuration get() {
        return conf;
    }

    @Serial
    private void writeObject(ObjectOutputStream out) throws IOException {
        out.defaultWriteObject();
        conf.write(out);
    }

    @Serial
    private void readObject(ObjectInputStream in) throws IOException, ClassNotFoundException {
        in.defaultReadObject();
        // No default resources: the shipped properties are the complete configuration.
        conf = new Configuration(false);
        conf.readFields(in);
    }
}
