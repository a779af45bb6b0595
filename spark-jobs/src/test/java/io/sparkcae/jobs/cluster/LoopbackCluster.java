package io.sparkcae.jobs.cluster;

import java.io.Closeable;
import java.io.File;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

/**
 * A real Spark standalone cluster on 127.0.0.1: one Master and N Worker JVMs started as child processes
 * from jars of the application classpath (no Spark distribution). Each worker launches its executors as
 * further JVMs, so work done on "executor 0" and "executor 1" really happens in separate processes,
 * which is what distributed-training tests and the cluster bench need (local mode runs every worker in
 * the driver JVM).
 *
 * <p>Spark's worker builds executor command lines from {@code SPARK_HOME/jars/*}, so the cluster makes a
 * SPARK_HOME-like directory whose {@code jars/} links the given jars. Every wait has a deadline; the
 * daemons' logs stay in {@link #dir()} for post-mortems; {@link #close()} stops executors, workers and the
 * master, in that order.
 */
public final class LoopbackCluster implements Closeable {
    /**
     * What to start: N workers with these cores and memory each, the classpath jars, the JVM flags of daemons and
     * executors, and flags for the master and workers only (e.g. the cluster's authentication secret).
     */
    public record Spec(Path dir, int workers, int coresPerWorker, String memoryPerWorker, List<Path> sparkJars,
                       List<String> jvmOptions, Duration startTimeout, List<String> daemonOptions) {
        public Spec {
            if (workers < 1 || coresPerWorker < 1) {
                throw new IllegalArgumentException("a loopback cluster needs >= 1 worker with >= 1 core");
            }
            sparkJars = List.copyOf(sparkJars);
            jvmOptions = List.copyOf(jvmOptions);
            daemonOptions = List.copyOf(daemonOptions);
        }

        public Spec(Path dir, int workers, int coresPerWorker, String memoryPerWorker, List<Path> sparkJars,
                    List<String> jvmOptions, Duration startTimeout) {
            this(dir, workers, coresPerWorker, memoryPerWorker, sparkJars, jvmOptions, startTimeout, List.of());
        }
    }

    private final Spec spec;
    private final Path sparkHome;
    private final String masterUrl;
    private final List<Process> daemons = new ArrayList<>();
    private final List<Path> workerDirs = new ArrayList<>();

    private LoopbackCluster(Spec spec, Path sparkHome, String masterUrl) {
        this.spec = spec;
        this.sparkHome = sparkHome;
        this.masterUrl = masterUrl;
    }

    /** Starts the master, then the workers, and returns once every worker has registered with the master. */
    public static LoopbackCluster start(Spec spec) throws IOException, InterruptedException {
        Files.createDirectories(spec.dir());
        Path home = sparkHome(spec.dir().resolve("spark-home"), spec.sparkJars());
        int masterPort = freePort();
        LoopbackCluster c = new LoopbackCluster(spec, home, "spark://127.0.0.1:" + masterPort);
        c.writeSparkDefaults();
        long deadline = System.nanoTime() + spec.startTimeout().toNanos();
        try {
            Process master = c.daemon("master", "org.apache.spark.deploy.master.Master",
                    "--host", "127.0.0.1", "--port", String.valueOf(masterPort),
                    "--webui-port", String.valueOf(freePort()));
            awaitPort(masterPort, master, c.log("master"), deadline);
            for (int i = 0; i < spec.workers(); i++) {
                Path work = Files.createDirectories(spec.dir().resolve("worker-" + i));
                c.workerDirs.add(work);
                c.daemon("worker-" + i, "org.apache.spark.deploy.worker.Worker", c.masterUrl,
                        "--host", "127.0.0.1", "--cores", String.valueOf(spec.coresPerWorker()),
                        "--memory", spec.memoryPerWorker(), "--work-dir", work.toString(),
                        "--webui-port", String.valueOf(freePort()));
            }
            for (int i = 0; i < spec.workers(); i++) {
                awaitLogLine(c.log("worker-" + i), "Successfully registered with master", c.daemons.get(i + 1), deadline);
            }
            return c;
        } catch (IOException | InterruptedException | RuntimeException e) {
            c.close();
            throw e;
        }
    }

    public String masterUrl() {
        return masterUrl;
    }

    public Path sparkHome() {
        return sparkHome;
    }

    public Path dir() {
        return spec.dir();
    }

    /** The worker work directories: app-id/executor-id/{stderr,stdout} of every executor lands here. */
    public List<Path> workerDirs() {
        return List.copyOf(workerDirs);
    }

    /** Environment for spark-submit / the launcher against this cluster (SPARK_HOME, loopback binding). */
    public Map<String, String> environment() {
        Map<String, String> env = new LinkedHashMap<>();
        env.put("SPARK_HOME", sparkHome.toString());
        env.put("SPARK_SCALA_VERSION", "2.12");
        env.put("SPARK_LOCAL_IP", "127.0.0.1");
        env.put("SPARK_LOCAL_DIRS", spec.dir().resolve("local").toString());
        return env;
    }

    /**
     * Spark settings for a driver in this JVM that uses the cluster: master URL, loopback binding, and the
     * executors' JVM flags with one Aeron directory per executor under {@link #dir()} (Spark substitutes
     * {{EXECUTOR_ID}}), so gradient sharing's media drivers never share a directory and die with the test dir.
     */
    public Map<String, String> driverConf() {
        Map<String, String> conf = new LinkedHashMap<>();
        conf.put("spark.master", masterUrl);
        conf.put("spark.driver.host", "127.0.0.1");
        conf.put("spark.driver.bindAddress", "127.0.0.1");
        conf.put("spark.ui.enabled", "false");
        // one executor per worker, using all of its cores and its memory: half heap, half ND4J off-heap
        conf.put("spark.executor.cores", String.valueOf(spec.coresPerWorker()));
        long mb = megabytes(spec.memoryPerWorker());
        conf.put("spark.executor.memory", (mb / 2) + "m");
        conf.put("spark.executor.memoryOverhead", (mb / 2) + "m");
        conf.put("spark.executor.extraJavaOptions", String.join(" ", spec.jvmOptions())
                + " -Dorg.bytedeco.javacpp.maxbytes=" + (mb * 2 / 5) + "m"
                + " -Daeron.dir=" + spec.dir().resolve("aeron") + "/{{APP_ID}}-{{EXECUTOR_ID}}");
        conf.put("spark.executorEnv.OMP_NUM_THREADS", String.valueOf(spec.coresPerWorker()));
        conf.put("spark.executorEnv.OPENBLAS_NUM_THREADS", "1"); // as the deploy recipes set it
        return conf;
    }

    /**
     * SPARK_HOME/conf/spark-defaults.conf with {@link #driverConf()}, which spark-submit reads: a driver
     * started as {@code SPARK_HOME=<sparkHome> SPARKCAE_MASTER=<masterUrl> deploy/sparkcae ...} gets the
     * executors' flags without further arguments.
     */
    private void writeSparkDefaults() throws IOException {
        StringBuilder sb = new StringBuilder("# written by sparkcae LoopbackCluster\n");
        driverConf().forEach((k, v) -> sb.append(k).append(' ').append(v).append('\n'));
        Files.writeString(Files.createDirectories(sparkHome.resolve("conf")).resolve("spark-defaults.conf"), sb);
    }

    private static long megabytes(String memory) {
        String m = memory.trim().toLowerCase(java.util.Locale.ROOT);
        long n = Long.parseLong(m.replaceAll("[^0-9]", ""));
        return m.endsWith("g") ? n * 1024 : m.endsWith("m") ? n : n >> 20;
    }

    /** Process ids of the live executor JVMs (children of the worker JVMs). */
    public List<ProcessHandle> executors() {
        List<ProcessHandle> out = new ArrayList<>();
        for (int i = 1; i < daemons.size(); i++) {
            daemons.get(i).children().filter(ProcessHandle::isAlive).forEach(out::add);
        }
        return out;
    }

    /** The text of every executor's stderr so far (what a failed test prints). */
    public String executorLogs() throws IOException {
        StringBuilder sb = new StringBuilder();
        for (Path w : workerDirs) {
            try (Stream<Path> files = Files.walk(w)) {
                for (Path p : files.filter(f -> f.getFileName().toString().equals("stderr")).sorted().toList()) {
                    sb.append("==== ").append(w.relativize(p)).append('\n').append(Files.readString(p));
                }
            }
        }
        return sb.toString();
    }

    public Path log(String daemon) {
        return spec.dir().resolve(daemon + ".log");
    }

    /** Stops executors first (their workers would otherwise relaunch them), then workers, then the master. */
    @Override
    public void close() {
        for (int i = daemons.size() - 1; i >= 0; i--) {
            Process p = daemons.get(i);
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
        daemons.clear();
    }

    private Process daemon(String name, String mainClass, String... args) throws IOException {
        List<String> cmd = new ArrayList<>(List.of(javaBin(), "-Xmx512m", "-cp", sparkHome.resolve("jars") + File.separator + "*"));
        // The daemons log at INFO whatever log4j2 file the jars carry (the application's own is quieter):
        // start() waits for the workers' registration line.
        spec.jvmOptions().stream().filter(o -> !o.startsWith("-Dlog4j2.configurationFile")).forEach(cmd::add);
        cmd.add("-Dlog4j2.configurationFile=" + daemonLogConfig().toUri());
        cmd.addAll(spec.daemonOptions());
        cmd.add(mainClass);
        cmd.addAll(List.of(args));
        ProcessBuilder pb = new ProcessBuilder(cmd).redirectErrorStream(true).redirectOutput(log(name).toFile());
        pb.environment().putAll(environment());
        Process p = pb.start();
        daemons.add(p);
        return p;
    }

    private Path daemonLogConfig() throws IOException {
        Path file = sparkHome.resolve("log4j2-daemons.properties");
        if (!Files.exists(file)) {
            Files.writeString(file, """
                    appender.console.type = Console
                    appender.console.name = console
                    appender.console.layout.type = PatternLayout
                    appender.console.layout.pattern = %d{HH:mm:ss} %p %c{1}: %m%n
                    rootLogger.level = info
                    rootLogger.appenderRef.stdout.ref = console
                    """);
        }
        return file;
    }

    /**
     * SPARK_HOME with jars/ linking the given jars (the worker puts SPARK_HOME/jars/* on executors) and a
     * bin/spark-submit that does what a distribution's bin/spark-class does: ask Spark's launcher library
     * for the command line (it prints its messages, a line holding a NUL, then the command NUL-separated
     * with its exit code last), then run it.
     */
    static Path sparkHome(Path home, List<Path> jars) throws IOException {
        Path dir = Files.createDirectories(home.resolve("jars"));
        for (Path jar : jars) {
            Path link = dir.resolve(jar.getFileName());
            if (!Files.exists(link, java.nio.file.LinkOption.NOFOLLOW_LINKS)) {
                Files.createSymbolicLink(link, jar.toAbsolutePath());
            }
        }
        Path bin = Files.createDirectories(home.resolve("bin"));
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

    /** The jars of this JVM's classpath (Surefire/Failsafe keep the real one in surefire.test.class.path). */
    public static List<Path> classpathJars() {
        String cp = System.getProperty("surefire.test.class.path", System.getProperty("java.class.path"));
        List<Path> jars = new ArrayList<>();
        for (String entry : cp.split(File.pathSeparator)) {
            Path p = Path.of(entry);
            if (entry.endsWith(".jar") && Files.isRegularFile(p)) {
                jars.add(p);
            }
        }
        return jars;
    }

    public static String javaBin() {
        return Path.of(System.getProperty("java.home"), "bin", "java").toString();
    }

    public static int freePort() throws IOException {
        try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            return s.getLocalPort();
        }
    }

    private static void awaitPort(int port, Process owner, Path log, long deadline) throws IOException, InterruptedException {
        while (System.nanoTime() < deadline) {
            if (!owner.isAlive()) {
                throw new IllegalStateException("Spark master exited (" + owner.exitValue() + "): " + tail(log));
            }
            try (Socket s = new Socket()) {
                s.connect(new InetSocketAddress("127.0.0.1", port), 500);
                return;
            } catch (IOException e) {
                Thread.sleep(250);
            }
        }
        throw new IllegalStateException("Spark master did not listen on 127.0.0.1:" + port + " in time: " + tail(log));
    }

    private static void awaitLogLine(Path log, String text, Process owner, long deadline) throws IOException, InterruptedException {
        while (System.nanoTime() < deadline) {
            if (Files.exists(log) && Files.readString(log).contains(text)) {
                return;
            }
            if (!owner.isAlive()) {
                throw new IllegalStateException(log.getFileName() + ": daemon exited (" + owner.exitValue() + "): " + tail(log));
            }
            Thread.sleep(250);
        }
        throw new IllegalStateException(log.getFileName() + ": no '" + text + "' in time: " + tail(log));
    }

    private static String tail(Path log) {
        try {
            String s = Files.exists(log) ? Files.readString(log) : "(no log)";
            return s.length() > 4000 ? s.substring(s.length() - 4000) : s;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
