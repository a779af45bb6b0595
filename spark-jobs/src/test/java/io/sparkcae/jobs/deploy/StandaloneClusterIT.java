package io.sparkcae.jobs.deploy;

import io.sparkcae.jobs.testing.FashionMnistSlice;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import java.io.File;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.jar.JarFile;
import java.util.stream.Collectors;
import java.util.zip.ZipEntry;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The application jar on a real Spark standalone cluster: a Master and a Worker as child JVMs on 127.0.0.1,
 * a SPARK_HOME-like directory whose jars/ holds Spark's side of the classpath (test classpath jars whose
 * classes are not in the application jar), and deploy/submit-standalone.sh submitting through Spark's own
 * launcher (org.apache.spark.launcher.Main, as bin/spark-class does). prep and train run their tasks in a
 * separate executor JVM that loads sparkcae, DL4J and the ND4J natives from the application jar.
 *
 * Needs the jar: mvn -B -DskipTests -Papp-jar package, then
 * mvn -B -pl spark-jobs -am test -Dtest=StandaloneClusterIT -Dsurefire.failIfNoSpecifiedTests=false
 * (named *IT so the default test run leaves it out; skipped when the jar or Fashion-MNIST is missing).
 */
@Timeout(value = 15, unit = TimeUnit.MINUTES)
class StandaloneClusterIT {
    @TempDir
    static Path tmp;

    private static final List<Process> DAEMONS = new ArrayList<>();
    private static Path repo;
    private static Path appJar;
    private static Path sparkHome;
    private static String masterUrl;
    private static Map<String, String> env;

    @BeforeAll
    static void startCluster() throws Exception {
        repo = AirflowDagTest.repoRoot();
        appJar = repo.resolve("spark-jobs/target/sparkcae-app.jar");
        Assumptions.assumeTrue(Files.isRegularFile(appJar), "no " + appJar + " (mvn -Papp-jar package)");
        Assumptions.assumeTrue(Files.isDirectory(FashionMnistSlice.SOURCE), "Fashion-MNIST not installed");

        sparkHome = sparkHome(appJar);
        env = Map.of("SPARK_HOME", sparkHome.toString(), "SPARK_SCALA_VERSION", "2.12",
                "SPARK_LOCAL_IP", "127.0.0.1", "SPARK_LOCAL_DIRS", tmp.resolve("local").toString());
        int masterPort = freePort();
        masterUrl = "spark://127.0.0.1:" + masterPort;
        DAEMONS.add(daemon("master", "org.apache.spark.deploy.master.Master",
                "--host", "127.0.0.1", "--port", String.valueOf(masterPort), "--webui-port", String.valueOf(freePort())));
        awaitPort(masterPort, DAEMONS.get(0));
        DAEMONS.add(daemon("worker", "org.apache.spark.deploy.worker.Worker", masterUrl,
                "--host", "127.0.0.1", "--cores", "2", "--memory", "6g",
                "--work-dir", tmp.resolve("work").toString(), "--webui-port", String.valueOf(freePort())));
    }

    @AfterAll
    static void stopCluster() {
        // worker first (its executors with it), then the master; descendants explicitly, then the JVMs
        for (int i = DAEMONS.size() - 1; i >= 0; i--) {
            Process p = DAEMONS.get(i);
            p.descendants().forEach(ProcessHandle::destroyForcibly);
            p.destroy();
            try {
                if (!p.waitFor(20, TimeUnit.SECONDS)) {
                    p.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                p.destroyForcibly();
            }
        }
    }

    @Test
    void prepTrainAndEncodeRunOnTheClusterFromTheAppJar() throws Exception {
        Path data = FashionMnistSlice.write(tmp.resolve("data"), 1000, 200);
        Path run = tmp.resolve("run");
        String out = submit("prep", "--data", data.toString(), "--run-dir", run.toString(),
                "--set", "prep.records-per-task=300");
        assertTrue(Files.isRegularFile(run.resolve("prep/_SUCCESS")), out);
        assertTrue(out.contains("prep: done"), out);

        out = submit("train", "--run-dir", run.toString(), "--set", "train.epochs=1", "--set", "train.workers=2",
                "--log-format", "json");
        assertTrue(Files.isRegularFile(run.resolve("train/_SUCCESS")), out);
        assertTrue(Files.isRegularFile(run.resolve("train/model.zip")), out);
        assertTrue(out.contains("train: done"), out);
        // --log-format json: the driver's log lines are JSON objects
        assertTrue(out.lines().anyMatch(l -> l.startsWith("{\"timeMillis\"") && l.contains("io.sparkcae.jobs.train")), out);

        out = submit("encode", "--run-dir", run.toString(), "--set", "train.epochs=1", "--set", "train.workers=2");
        assertTrue(Files.isRegularFile(run.resolve("encode/_SUCCESS")), out);
        assertTrue(Files.isDirectory(run.resolve("encode/latents")), out);
        assertTrue(out.contains("encode: done") && out.contains("test_mse"), out);

        // the tasks ran in executor JVMs of the worker, which fetched the application jar
        try (var files = Files.walk(tmp.resolve("work"))) {
            Set<String> names = files.map(p -> p.getFileName().toString()).collect(Collectors.toSet());
            assertTrue(names.contains("sparkcae-app.jar"), "executors did not fetch the app jar: " + names);
        }
        // and the executor found oneDNN natives only in that jar (SPARK_HOME/jars leaves them out)
        try (var logs = Files.walk(tmp.resolve("work"))) {
            for (Path stderr : logs.filter(p -> p.getFileName().toString().equals("stderr")).toList()) {
                String text = Files.readString(stderr);
                assertTrue(!text.contains("UnsatisfiedLinkError") && !text.contains("Exception in task"), text);
            }
        }
    }

    /** deploy/submit-standalone.sh in client mode, spark-submit being Spark's launcher on the fake SPARK_HOME. */
    private static String submit(String... appArgs) throws Exception {
        Path sparkSubmit = sparkHome.resolve("bin/spark-submit");
        List<String> cmd = new ArrayList<>(List.of("bash", repo.resolve("deploy/submit-standalone.sh").toString(),
                "--master", masterUrl,
                "--driver-memory", "2g",
                "--executor-memory", "2g",
                "--conf", "spark.executor.memoryOverhead=2g",
                "--conf", "spark.driver.host=127.0.0.1",
                "--conf", "spark.driver.bindAddress=127.0.0.1",
                "--conf", "spark.ui.enabled=false",
                "--conf", "spark.ui.showConsoleProgress=false",
                "--"));
        cmd.addAll(List.of(appArgs));
        ProcessBuilder pb = new ProcessBuilder(cmd).redirectErrorStream(true);
        pb.environment().putAll(env);
        pb.environment().put("SPARK_SUBMIT", sparkSubmit.toString());
        pb.environment().put("SPARKCAE_APP_JAR", appJar.toString());
        Path log = tmp.resolve("submit-" + appArgs[0] + ".log");
        pb.redirectOutput(log.toFile());
        Process p = pb.start();
        if (!p.waitFor(8, TimeUnit.MINUTES)) {
            p.descendants().forEach(ProcessHandle::destroyForcibly);
            p.destroyForcibly();
            throw new AssertionError("submit " + appArgs[0] + " timed out:\n" + Files.readString(log));
        }
        String out = Files.readString(log);
        assertEquals(0, p.exitValue(), out);
        out.lines().filter(l -> l.contains(": done in")).forEach(l -> System.out.println("standalone cluster: " + l));
        return out;
    }

    private static Process daemon(String name, String mainClass, String... args) throws IOException {
        List<String> cmd = new ArrayList<>(List.of(javaBin(), "-Xmx512m", "-cp", sparkHome.resolve("jars") + File.separator + "*"));
        cmd.addAll(jvmOptions());
        cmd.add(mainClass);
        cmd.addAll(List.of(args));
        ProcessBuilder pb = new ProcessBuilder(cmd).redirectErrorStream(true)
                .redirectOutput(tmp.resolve(name + ".log").toFile());
        pb.environment().putAll(env);
        return pb.start();
    }

    /** conf/jvm.properties through deploy/jvm-options.sh, the one list. */
    private static List<String> jvmOptions() throws IOException {
        ProcessBuilder pb = new ProcessBuilder("bash", "-c",
                "source \"$1/deploy/jvm-options.sh\" && sparkcae_jvm_options \"$1\"", "bash", repo.toString());
        Process p = pb.start();
        String line = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8).strip();
        return List.of(line.split("\\s+"));
    }

    /**
     * SPARK_HOME/jars: every jar of the test classpath none of whose classes is in the application jar
     * (Spark, Hadoop, Scala, and what the jar leaves to Spark on purpose), plus bin/spark-submit.
     */
    private static Path sparkHome(Path appJar) throws IOException {
        Set<String> appClasses = new HashSet<>();
        try (JarFile jar = new JarFile(appJar.toFile())) {
            jar.stream().map(ZipEntry::getName).filter(n -> n.endsWith(".class")).forEach(appClasses::add);
        }
        Path home = tmp.resolve("spark-home");
        Path jars = Files.createDirectories(home.resolve("jars"));
        // Surefire runs tests from a manifest-only jar; the real classpath is in surefire.test.class.path
        String classpath = System.getProperty("surefire.test.class.path", System.getProperty("java.class.path"));
        for (String entry : classpath.split(File.pathSeparator)) {
            Path p = Path.of(entry);
            if (!entry.endsWith(".jar") || !Files.isRegularFile(p) || bundled(p, appClasses)) {
                continue;
            }
            Path link = jars.resolve(p.getFileName());
            if (!Files.exists(link)) {
                Files.createSymbolicLink(link, p.toAbsolutePath());
            }
        }
        Path bin = Files.createDirectories(home.resolve("bin"));
        // What bin/spark-class does: ask the launcher library for the command line, then run it.
        // The launcher prints its messages, a line holding a NUL, then the command NUL-separated.
        Files.writeString(bin.resolve("spark-submit"), """
                #!/usr/bin/env bash
                set -euo pipefail
                cmd=()
                delim=$'\\n'
                started=false
                while IFS= read -r -d "$delim" arg; do
                  if [[ "$started" == true ]]; then
                    cmd+=("$arg")
                  elif [[ -z "$arg" ]]; then
                    delim=''
                    started=true
                  else
                    echo "$arg"
                  fi
                done < <(java -Xmx128m -cp "$SPARK_HOME/jars/*" org.apache.spark.launcher.Main \\
                           org.apache.spark.deploy.SparkSubmit "$@"; printf '%d\\0' $?)
                last=$(( ${#cmd[@]} - 1 ))
                [[ "${cmd[$last]}" == 0 ]] || exit "${cmd[$last]}"
                exec "${cmd[@]:0:$last}"
                """);
        bin.resolve("spark-submit").toFile().setExecutable(true);
        return home;
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

    private static String javaBin() {
        return Path.of(System.getProperty("java.home"), "bin", "java").toString();
    }

    private static int freePort() throws IOException {
        try (ServerSocket s = new ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
            return s.getLocalPort();
        }
    }

    private static void awaitPort(int port, Process owner) throws Exception {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
        while (System.nanoTime() < deadline) {
            if (!owner.isAlive()) {
                throw new AssertionError("master exited: " + Files.readString(tmp.resolve("master.log")));
            }
            try (Socket s = new Socket()) {
                s.connect(new InetSocketAddress("127.0.0.1", port), 500);
                return;
            } catch (IOException e) {
                Thread.sleep(250);
            }
        }
        throw new AssertionError("master did not listen on " + port);
    }
}
