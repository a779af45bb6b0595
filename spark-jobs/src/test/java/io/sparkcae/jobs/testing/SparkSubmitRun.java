package io.sparkcae.jobs.testing;

import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * The CLI launched the way deploy/sparkcae and spark-submit launch it: through Spark's SparkSubmit entry point
 * in a child JVM, with {@code --conf} settings that become the Spark session's configuration. Local mode, loopback
 * only.
 *
 * @param exitCode the child's exit code (-1 when it ran past the timeout and was killed)
 * @param output   everything it printed (stdout and stderr)
 */
public record SparkSubmitRun(int exitCode, String output) {

    /**
     * @param extraClasspath prepended to this JVM's classpath (e.g. a folder with a core-site.xml), or null
     * @param confs          {@code --conf key=value} pairs, in order
     * @param args           the CLI's arguments
     */
    public static SparkSubmitRun run(Path log, Path extraClasspath, Map<String, String> confs, long timeout,
                                     TimeUnit unit, String... args) throws IOException, InterruptedException {
        Process p = start(log, extraClasspath, confs, args);
        int code;
        if (p.waitFor(timeout, unit)) {
            code = p.exitValue();
        } else {
            p.destroyForcibly();
            p.waitFor(30, TimeUnit.SECONDS);
            code = -1;
        }
        return new SparkSubmitRun(code, Files.readString(log));
    }

    /** The same launch without waiting: the caller watches, kills or waits for the child (output in {@code log}). */
    public static Process start(Path log, Path extraClasspath, Map<String, String> confs, String... args)
            throws IOException {
        List<String> cmd = new ArrayList<>();
        cmd.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        for (String a : ManagementFactory.getRuntimeMXBean().getInputArguments()) {
            if (a.startsWith("--add-") || a.startsWith("-D")) {
                cmd.add(a);
            }
        }
        cmd.add("-Xmx2g");
        String cp = System.getProperty("java.class.path");
        cmd.addAll(List.of("-cp", extraClasspath == null ? cp : extraClasspath + java.io.File.pathSeparator + cp,
                "org.apache.spark.deploy.SparkSubmit", "--master", "local[2]",
                "--conf", "spark.driver.host=127.0.0.1", "--conf", "spark.driver.bindAddress=127.0.0.1",
                "--conf", "spark.ui.enabled=false", "--conf", "spark.sql.shuffle.partitions=4"));
        confs.forEach((k, v) -> cmd.addAll(List.of("--conf", k + "=" + v)));
        // "spark-internal": no application jar; the CLI's classes are already on the classpath.
        cmd.addAll(List.of("--class", "io.sparkcae.jobs.cli.SparkCaeCli", "spark-internal"));
        cmd.addAll(List.of(args));
        ProcessBuilder pb = new ProcessBuilder(cmd).redirectErrorStream(true).redirectOutput(log.toFile());
        pb.environment().put("SPARK_LOCAL_IP", "127.0.0.1");
        return pb.start();
    }

    /** The last lines of the output, for assertion messages. */
    public String tail() {
        return output.length() > 6000 ? output.substring(output.length() - 6000) : output;
    }

    @Override
    public String toString() {
        return "exit " + exitCode + ":\n" + tail();
    }
}
