package io.sparkcae.jobs.cli;

import io.sparkcae.core.error.ExitCode;
import io.sparkcae.core.error.SparkCaeException;

import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Finds what a failure means to the user. Spark wraps a task's exception several times (task write failure,
 * job abort, IllegalStateException around a future), so the cause chain is searched: our own
 * {@link SparkCaeException} anywhere in it wins; otherwise a few library failures that are the user's or the
 * machine's doing are given their exit code and a sentence. Null means an internal error.
 */
final class FailureClassifier {
    private static final Pattern SCHEME = Pattern.compile("No FileSystem for scheme \"?([^\"\\s]+)\"?");
    /**
     * Spark's executor JVM exits with 52 on an OutOfMemoryError; the driver sees only the lost executor
     * (standalone "Command exited with code 52", YARN "Exit status: 52", Kubernetes "exit code 52").
     */
    private static final Pattern EXECUTOR_OOM_EXIT = Pattern.compile(
            "(?i)(exited with code|exit status:?|exit ?code:?)\\s*52\\b");

    private FailureClassifier() {
    }

    static SparkCaeException classify(Throwable failure) {
        for (Throwable c = failure; c != null; c = next(c)) {
            if (c instanceof SparkCaeException s) {
                return s;
            }
        }
        for (Throwable c = failure; c != null; c = next(c)) {
            SparkCaeException known = known(c);
            if (known != null) {
                return known;
            }
        }
        return null;
    }

    private static Throwable next(Throwable t) {
        return t.getCause() == t ? null : t.getCause();
    }

    private static SparkCaeException known(Throwable c) {
        if (c instanceof OutOfMemoryError) {
            long heapMb = Runtime.getRuntime().maxMemory() >> 20;
            return new SparkCaeException(ExitCode.INFRASTRUCTURE, "out of memory (" + c.getMessage() + ", JVM heap "
                    + heapMb + " MB): give the stage more memory (SPARKCAE_MEMORY for deploy/sparkcae, "
                    + "spark.driver.memory / spark.executor.memory on a cluster) or lower the work per task", c);
        }
        String message = String.valueOf(c.getMessage());
        if (message.contains("ExecutorLostFailure") && EXECUTOR_OOM_EXIT.matcher(message).find()) {
            return new SparkCaeException(ExitCode.INFRASTRUCTURE, "an executor ran out of memory (its JVM exited with "
                    + "code 52): give executors more memory (spark.executor.memory; SPARKCAE_MEMORY for "
                    + "deploy/sparkcae) or lower the work per task", c);
        }
        if (message.contains("[INVALID_DRIVER_MEMORY]") || message.contains("[INVALID_EXECUTOR_MEMORY]")) {
            // the memory given to the JVM is below Spark's minimum: the user's setting, not a fault
            return SparkCaeException.usage("too little memory for Spark (JVM heap " + (Runtime.getRuntime().maxMemory() >> 20)
                    + " MB; Spark needs at least 450 MB): raise SPARKCAE_MEMORY (deploy/sparkcae gives the heap 40% of"
                    + " it, so at least 1200m) or spark.driver.memory / spark.executor.memory");
        }
        if (c.getClass().getName().equals("org.apache.hadoop.fs.UnsupportedFileSystemException")
                || message.startsWith("No FileSystem for scheme")) {
            Matcher m = SCHEME.matcher(message);
            String scheme = m.find() ? m.group(1) : "?";
            return SparkCaeException.usage("unknown URI scheme '" + scheme + ":' (no Hadoop file system for it): "
                    + "use a local path, file:, hdfs:, s3a: or another scheme whose connector is on the classpath");
        }
        if (c instanceof java.nio.file.NoSuchFileException e) {
            return SparkCaeException.usage(e.getFile() + ": no such file or directory");
        }
        if (c instanceof java.nio.file.AccessDeniedException e) {
            return new SparkCaeException(ExitCode.INFRASTRUCTURE, e.getFile() + ": permission denied", c);
        }
        if (c instanceof java.io.IOException && message.contains("No space left on device")) {
            return new SparkCaeException(ExitCode.INFRASTRUCTURE, "no space left on device: " + message, c);
        }
        return null;
    }
}
