package io.sparkcae.jobs.deploy;

import io.sparkcae.jobs.testing.S3Server;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import java.io.InputStream;
import java.io.OutputStream;
import java.net.URL;
import java.net.URLClassLoader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;

/**
 * s3a:// out of the box on a cluster: with only Spark's side of the classpath (Spark, its Hadoop client) as
 * parent, as spark-submit gives it, the application jar alone supplies a working S3A file system, which
 * writes and reads an object on an S3 API server on 127.0.0.1.
 */
@Timeout(value = 3, unit = TimeUnit.MINUTES)
class AppJarS3IT {
    private static final String BUCKET = "sparkcae-appjar";

    @TempDir
    Path tmp;

    @Test
    void theAppJarBringsAWorkingS3aFileSystem() throws Exception {
        Path appJar = AirflowDagTest.repoRoot().resolve("spark-jobs/target/sparkcae-app.jar");
        Assumptions.assumeTrue(Files.isRegularFile(appJar), "no " + appJar + " (mvn -Papp-jar package)");
        List<Path> sparkSide = AppJarCluster.sparkSideJars(appJar);
        URL[] sparkUrls = new URL[sparkSide.size()];
        for (int i = 0; i < sparkUrls.length; i++) {
            sparkUrls[i] = sparkSide.get(i).toUri().toURL();
        }
        ClassLoader previous = Thread.currentThread().getContextClassLoader();
        try (S3Server s3 = S3Server.start(tmp.resolve("s3"), BUCKET);
             URLClassLoader spark = new URLClassLoader(sparkUrls, ClassLoader.getPlatformClassLoader());
             URLClassLoader app = new URLClassLoader(new URL[]{appJar.toUri().toURL()}, spark)) {
            Thread.currentThread().setContextClassLoader(app);
            Class<?> confClass = Class.forName("org.apache.hadoop.conf.Configuration", true, app);
            assertSame(spark, confClass.getClassLoader(), "Hadoop itself comes from Spark's side, not the app jar");
            Object conf = confClass.getConstructor().newInstance();
            var set = confClass.getMethod("set", String.class, String.class);
            for (var e : s3.hadoopConf()) {
                if (e.getKey().startsWith("fs.s3a.")) {
                    set.invoke(conf, e.getKey(), e.getValue());
                }
            }
            Class<?> pathClass = Class.forName("org.apache.hadoop.fs.Path", true, app);
            Object path = pathClass.getConstructor(String.class).newInstance("s3a://" + BUCKET + "/probe/hello.txt");
            Object fs = pathClass.getMethod("getFileSystem", confClass).invoke(path, conf);
            assertEquals("org.apache.hadoop.fs.s3a.S3AFileSystem", fs.getClass().getName());
            assertSame(app, fs.getClass().getClassLoader(), "S3A comes from the application jar");
            try (OutputStream out = (OutputStream) fs.getClass().getMethod("create", pathClass).invoke(fs, path)) {
                out.write("hello".getBytes(StandardCharsets.UTF_8));
            }
            try (InputStream in = (InputStream) fs.getClass().getMethod("open", pathClass).invoke(fs, path)) {
                assertEquals("hello", new String(in.readAllBytes(), StandardCharsets.UTF_8));
            }
            fs.getClass().getMethod("close").invoke(fs);
        } finally {
            Thread.currentThread().setContextClassLoader(previous);
        }
    }
}
