package io.sparkcae.jobs.testing;

import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;

/**
 * A storage server (S3 API, HDFS) in its own JVM, started from the classpath file its test-servers module
 * writes at build time: the servers' Jetty, Jersey, Guice and Guava never meet Spark's on one classpath.
 */
final class ServerProcess implements AutoCloseable {
    private final String name;
    private final Process process;
    private final Path log;

    private ServerProcess(String name, Process process, Path log) {
        this.name = name;
        this.process = process;
        this.log = log;
        // A test JVM that ends without closing it (timeout, Ctrl-C) must not leave a server behind.
        Runtime.getRuntime().addShutdownHook(new Thread(process::destroyForcibly));
    }

    /**
     * @param module  the test-servers module, e.g. "s3"
     * @param workDir the server's working directory; its log goes to {@code <workDir>/server.log}
     */
    static ServerProcess start(String module, Path workDir, List<String> jvmArgs, String mainClass, List<String> args)
            throws IOException {
        Files.createDirectories(workDir);
        List<String> cmd = new ArrayList<>();
        cmd.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        cmd.addAll(jvmArgs);
        cmd.addAll(List.of("-cp", classpath(module), mainClass));
        cmd.addAll(args);
        Path log = workDir.resolve("server.log");
        Process p = new ProcessBuilder(cmd).directory(workDir.toFile()).redirectErrorStream(true)
                .redirectOutput(log.toFile()).start();
        return new ServerProcess(module, p, log);
    }

    /** The classpath test-servers/{module} wrote; built by the reactor before spark-jobs' tests. */
    private static String classpath(String module) throws IOException {
        String root = System.getProperty("sparkcae.repo.root", Path.of("..").toAbsolutePath().normalize().toString());
        Path file = Path.of(root, "test-servers", module, "target", "server.classpath");
        if (!Files.isRegularFile(file)) {
            throw new IllegalStateException(file + " is missing: build with the reactor, e.g. "
                    + "mvn -pl spark-jobs -am test (the test-servers modules write it)");
        }
        return Files.readString(file).strip();
    }

    /** A port free on 127.0.0.1 right now, for servers that must be told their port up front. */
    static int freePort() throws IOException {
        try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            return s.getLocalPort();
        }
    }

    /** Polls until {@code ready} holds; fails with the server's log when it dies or the timeout passes. */
    void awaitReady(BooleanSupplier ready, long timeout, TimeUnit unit) throws IOException, InterruptedException {
        long deadline = System.nanoTime() + unit.toNanos(timeout);
        while (!ready.getAsBoolean()) {
            if (!process.isAlive() || System.nanoTime() > deadline) {
                close();
                throw new IllegalStateException(name + " server did not start (" + (process.isAlive() ? "timeout"
                        : "exit " + process.exitValue()) + "); log tail:\n" + tail());
            }
            Thread.sleep(100);
        }
    }

    String tail() throws IOException {
        String s = Files.exists(log) ? Files.readString(log) : "";
        return s.length() > 4000 ? s.substring(s.length() - 4000) : s;
    }

    @Override
    public void close() {
        process.destroyForcibly();
        try {
            process.waitFor(30, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
