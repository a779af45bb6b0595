package io.sparkcae.jobs.testing;

import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;

/**
 * The CLI in a child JVM with this JVM's flags and classpath, so a test can kill it (SIGKILL) the way a
 * node failure or an OOM killer would, and read what it logged.
 */
public final class CliProcess implements AutoCloseable {
    private final Process process;
    private final Path log;

    private CliProcess(Process process, Path log) {
        this.process = process;
        this.log = log;
    }

    public static CliProcess start(Path log, String... args) throws IOException {
        return start(log, List.of(), args);
    }

    /** As {@link #start(Path, String...)}, with extra JVM options (after this JVM's, so they win). */
    public static CliProcess start(Path log, List<String> jvmOptions, String... args) throws IOException {
        return startIn(null, log, jvmOptions, args);
    }

    /**
     * As {@link #start(Path, List, String...)}, in working directory {@code workDir} (null: this JVM's), so
     * relative paths on the command line resolve as they would for a user in that directory.
     */
    public static CliProcess startIn(Path workDir, Path log, List<String> jvmOptions, String... args)
            throws IOException {
        List<String> cmd = new ArrayList<>();
        cmd.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        for (String a : ManagementFactory.getRuntimeMXBean().getInputArguments()) {
            if (a.startsWith("--add-") || a.startsWith("-D") || a.startsWith("-Xmx")) {
                cmd.add(a);
            }
        }
        cmd.addAll(jvmOptions);
        cmd.addAll(List.of("-cp", System.getProperty("java.class.path"), "io.sparkcae.jobs.cli.SparkCaeCli"));
        cmd.addAll(List.of(args));
        ProcessBuilder pb = new ProcessBuilder(cmd).redirectErrorStream(true).redirectOutput(log.toFile());
        if (workDir != null) {
            pb.directory(workDir.toFile());
        }
        pb.environment().put("SPARK_LOCAL_IP", "127.0.0.1");
        return new CliProcess(pb.start(), log);
    }

    /** Polls until the condition holds, the child exits, or the timeout passes; returns the condition. */
    public boolean awaitCondition(BooleanSupplier condition, long timeout, TimeUnit unit) throws InterruptedException {
        long deadline = System.nanoTime() + unit.toNanos(timeout);
        while (!condition.getAsBoolean() && process.isAlive() && System.nanoTime() < deadline) {
            Thread.sleep(50);
        }
        return condition.getAsBoolean();
    }

    /** Waits for a normal exit; the exit code, or -1 when it ran past the timeout (and was killed). */
    public int awaitExit(long timeout, TimeUnit unit) throws InterruptedException {
        if (!process.waitFor(timeout, unit)) {
            process.destroyForcibly();
            return -1;
        }
        return process.exitValue();
    }

    /** SIGKILL, no shutdown hooks: what a lost node looks like to the job. */
    public void kill() throws InterruptedException {
        process.destroyForcibly();
        process.waitFor(30, TimeUnit.SECONDS);
    }

    public String output() throws IOException {
        return Files.exists(log) ? Files.readString(log) : "";
    }

    @Override
    public void close() {
        process.destroyForcibly();
    }
}
