package io.sparkcae.jobs.deploy;

import io.sparkcae.jobs.testing.StageDirs;
import io.sparkcae.jobs.testing.FashionMnistSlice;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;

import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The application jar on a real Spark standalone cluster ({@link io.sparkcae.jobs.cluster.LoopbackCluster}:
 * a Master and one Worker as child JVMs on 127.0.0.1), submitted through deploy/submit-standalone.sh and
 * Spark's own launcher: prep, train and encode run their tasks in a separate executor JVM that loads
 * sparkcae, DL4J and the ND4J natives from the application jar. Spark security is on as the script sets it
 * by default: authentication with the cluster's shared secret, RPC and I/O encryption.
 *
 * Needs the jar: run by {@code mvn -B -Papp-jar verify} (Failsafe, after packaging); skipped when the jar or
 * Fashion-MNIST is missing.
 */
@Timeout(value = 15, unit = TimeUnit.MINUTES)
class StandaloneClusterIT {
    @TempDir
    static Path tmp;

    private static AppJarCluster cluster;

    @BeforeAll
    static void startCluster() throws Exception {
        cluster = AppJarCluster.start(tmp, 1, 2, "6g");
    }

    @AfterAll
    static void stopCluster() {
        if (cluster != null) {
            cluster.close();
        }
    }

    @Test
    void prepTrainAndEncodeRunOnTheClusterFromTheAppJar() throws Exception {
        Path data = FashionMnistSlice.write(tmp.resolve("data"), 1000, 200);
        Path run = tmp.resolve("run");
        Duration limit = Duration.ofMinutes(8);
        String out = cluster.submit(limit, "prep", "--data", data.toString(), "--run-dir", run.toString(),
                "--set", "prep.records-per-task=300");
        assertTrue(Files.isRegularFile(run.resolve("prep/_SUCCESS")), out);
        assertTrue(out.contains("prep: done"), out);

        out = cluster.submit(limit, "train", "--run-dir", run.toString(), "--set", "train.epochs=1",
                "--set", "train.workers=2", "--log-format", "json");
        assertTrue(Files.isRegularFile(run.resolve("train/_SUCCESS")), out);
        assertTrue(Files.isRegularFile(StageDirs.output(run, "train").resolve("model.zip")), out);
        assertTrue(out.contains("train: done"), out);
        // --log-format json: the driver's log lines are JSON objects
        assertTrue(out.lines().anyMatch(l -> l.startsWith("{\"timeMillis\"") && l.contains("io.sparkcae.jobs.train")), out);

        out = cluster.submit(limit, "encode", "--run-dir", run.toString(), "--set", "train.epochs=1",
                "--set", "train.workers=2");
        assertTrue(Files.isRegularFile(run.resolve("encode/_SUCCESS")), out);
        assertTrue(Files.isDirectory(StageDirs.output(run, "encode").resolve("latents")), out);
        assertTrue(out.contains("encode: done") && out.contains("test_mse"), out);

        // the tasks ran in executor JVMs of the worker, which fetched the application jar
        Path work = cluster.cluster.workerDirs().get(0);
        try (var files = Files.walk(work)) {
            Set<String> names = files.map(p -> p.getFileName().toString()).collect(Collectors.toSet());
            assertTrue(names.contains("sparkcae-app.jar"), "executors did not fetch the app jar: " + names);
        }
        // and the executor found oneDNN natives only in that jar (SPARK_HOME/jars leaves them out)
        String logs = cluster.cluster.executorLogs();
        assertTrue(!logs.contains("UnsatisfiedLinkError") && !logs.contains("Exception in task"), logs);
        // with Spark's authentication on (the submit script's default, secret from SPARKCAE_SPARK_SECRET_FILE)
        // and the deserialization allowlist of conf/jvm.properties on the executors' command line
        assertTrue(logs.contains("authentication enabled"), "executors ran without Spark authentication:\n" + logs);
        assertTrue(logs.contains("-Djdk.serialFilter="), "executors ran without the serial filter:\n" + logs);
    }
}
