package io.sparkcae.jobs.deploy;

import io.sparkcae.jobs.cluster.LoopbackCluster;
import io.sparkcae.jobs.testing.FashionMnistSlice;
import org.junit.jupiter.api.Assumptions;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.jar.JarFile;
import java.util.zip.ZipEntry;

/**
 * The application jar on a {@link LoopbackCluster}, as the cluster ITs use it: SPARK_HOME/jars holds only
 * Spark's side of the classpath (test-classpath jars none of whose classes are in the application jar), so
 * executors load sparkcae, DL4J and the ND4J natives from the jar that spark-submit ships; stages are
 * submitted through deploy/submit-standalone.sh and Spark's own launcher, in client mode.
 */
final class AppJarCluster implements AutoCloseable {
    final Path repo;
    final Path appJar;
    final LoopbackCluster cluster;
    private final Path dir;

    private AppJarCluster(Path repo, Path appJar, LoopbackCluster cluster, Path dir) {
        this.repo = repo;
        this.appJar = appJar;
        this.cluster = cluster;
        this.dir = dir;
    }

    /** Skips the calling test class when the jar is missing; fails it when Fashion-MNIST is missing. */
    static AppJarCluster start(Path dir, int workers, int coresPerWorker, String memoryPerWorker) throws Exception {
        Path repo = AirflowDagTest.repoRoot();
        Path appJar = repo.resolve("spark-jobs/target/sparkcae-app.jar");
        Assumptions.assumeTrue(Files.isRegularFile(appJar), "no " + appJar + " (mvn -Papp-jar package)");
        FashionMnistSlice.require();
        // Spark security as the submit script turns it on by default: the master and workers share one secret
        // with every application (Spark's standalone model); the script reads it from SPARKCAE_SPARK_SECRET_FILE.
        byte[] random = new byte[32];
        new java.security.SecureRandom().nextBytes(random);
        String secret = java.util.HexFormat.of().formatHex(random);
        Files.createDirectories(dir);
        Files.writeString(dir.resolve("spark-secret"), secret + "\n");
        List<String> daemonOptions = List.of("-Dspark.authenticate=true", "-Dspark.authenticate.secret=" + secret,
                "-Dspark.network.crypto.enabled=true");
        LoopbackCluster cluster = LoopbackCluster.start(new LoopbackCluster.Spec(dir.resolve("cluster"), workers,
                coresPerWorker, memoryPerWorker, sparkSideJars(appJar), jvmOptions(repo), Duration.ofMinutes(2),
                daemonOptions));
        return new AppJarCluster(repo, appJar, cluster, dir);
    }

    /** A running submission: its process and the file its output goes to. */
    record Submission(Process process, Path log, String stage) {
        String output() {
            try {
                return Files.readString(log);
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }

        /** Waits for the exit code; kills the submission and fails past the deadline. */
        int await(Duration timeout) throws InterruptedException {
            if (!process.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
                process.descendants().forEach(ProcessHandle::destroyForcibly);
                process.destroyForcibly();
                throw new AssertionError("submit " + stage + " still running after " + timeout + ":\n" + output());
            }
            return process.exitValue();
        }

        /** Waits until the output contains the text; fails if the submission ends or the deadline passes first. */
        void awaitOutput(String text, Duration timeout) throws InterruptedException {
            long deadline = System.nanoTime() + timeout.toNanos();
            while (System.nanoTime() < deadline) {
                if (output().contains(text)) {
                    return;
                }
                if (!process.isAlive()) {
                    throw new AssertionError("submit " + stage + " ended before printing '" + text + "':\n" + output());
                }
                Thread.sleep(200);
            }
            throw new AssertionError("no '" + text + "' from submit " + stage + " within " + timeout + ":\n" + output());
        }
    }

    /** deploy/submit-standalone.sh in client mode, started and left running. */
    Submission start(String... appArgs) throws IOException {
        List<String> cmd = new ArrayList<>(List.of("bash", repo.resolve("deploy/submit-standalone.sh").toString(),
                "--master", cluster.masterUrl(),
                "--driver-memory", "1500m",
                "--conf", "spark.executor.memory=" + cluster.driverConf().get("spark.executor.memory"),
                "--conf", "spark.executor.memoryOverhead=" + cluster.driverConf().get("spark.executor.memoryOverhead"),
                "--conf", "spark.driver.host=127.0.0.1",
                "--conf", "spark.driver.bindAddress=127.0.0.1",
                "--conf", "spark.ui.enabled=false",
                "--conf", "spark.ui.showConsoleProgress=false",
                "--"));
        cmd.addAll(List.of(appArgs));
        ProcessBuilder pb = new ProcessBuilder(cmd).redirectErrorStream(true);
        pb.environment().putAll(cluster.environment());
        pb.environment().put("SPARK_SUBMIT", cluster.sparkHome().resolve("bin/spark-submit").toString());
        pb.environment().put("SPARKCAE_APP_JAR", appJar.toString());
        pb.environment().put("SPARKCAE_SPARK_SECRET_FILE", dir.resolve("spark-secret").toString());
        // gradient sharing's Aeron media drivers: one directory per executor inside the test directory
        // (a killed executor's would otherwise stay in /dev/shm); the driver's gets the literal name.
        pb.environment().put("SPARKCAE_EXTRA_JAVA_OPTIONS",
                "-Daeron.dir=" + cluster.dir().resolve("aeron") + "/{{APP_ID}}-{{EXECUTOR_ID}}");
        Path log = Files.createTempFile(dir, "submit-" + appArgs[0] + "-", ".log");
        pb.redirectOutput(log.toFile());
        return new Submission(pb.start(), log, appArgs[0]);
    }

    /** Runs a stage to completion and returns its output, failing unless it exits 0 within the timeout. */
    String submit(Duration timeout, String... appArgs) throws Exception {
        Submission s = start(appArgs);
        int code = s.await(timeout);
        String out = s.output();
        if (code != 0) {
            throw new AssertionError("submit " + appArgs[0] + " exited " + code + ":\n" + out
                    + "\n---- executors:\n" + tail(cluster.executorLogs(), 20000));
        }
        out.lines().filter(l -> l.contains(": done in")).forEach(l -> System.out.println("loopback cluster: " + l));
        return out;
    }

    static String tail(String s, int chars) {
        return s.length() > chars ? s.substring(s.length() - chars) : s;
    }

    @Override
    public void close() {
        cluster.close();
    }

    /** conf/jvm.properties through deploy/jvm-options.sh, the one list. */
    static List<String> jvmOptions(Path repo) throws IOException {
        ProcessBuilder pb = new ProcessBuilder("bash", "-c",
                "source \"$1/deploy/jvm-options.sh\" && sparkcae_jvm_options \"$1\"", "bash", repo.toString());
        Process p = pb.start();
        String line = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8).strip();
        return List.of(line.split("\\s+"));
    }

    /**
     * Every jar of the test classpath none of whose classes is in the application jar (Spark, Hadoop,
     * Scala, and what the jar leaves to Spark on purpose), plus the spark-submit script of a distribution.
     */
    static List<Path> sparkSideJars(Path appJar) throws IOException {
        Set<String> appClasses = new HashSet<>();
        try (JarFile jar = new JarFile(appJar.toFile())) {
            jar.stream().map(ZipEntry::getName).filter(n -> n.endsWith(".class")).forEach(appClasses::add);
        }
        return LoopbackCluster.classpathJars().stream().filter(p -> !bundled(p, appClasses)).toList();
    }

    private static boolean bundled(Path jarPath, Set<String> appClasses) {
        try (JarFile jar = new JarFile(jarPath.toFile())) {
            return jar.stream().map(ZipEntry::getName)
                    .filter(n -> n.endsWith(".class") && !n.endsWith("module-info.class") && !n.startsWith("META-INF/"))
                    .limit(20).anyMatch(appClasses::contains);
        } catch (IOException e) {
            throw new UncheckedIOException(jarPath.toString(), e);
        }
    }
}
