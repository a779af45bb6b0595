package io.sparkcae.jobs.common;

import io.sparkcae.core.error.ExitCode;
import io.sparkcae.core.error.SparkCaeException;

import java.io.IOException;
import java.util.Locale;

/**
 * Names a failed write for the user. Spark wraps a task's {@code IOException} in its own exceptions, and a
 * full disk otherwise surfaces as a raw {@code FSError} or "internal error" with a stack trace; the user needs
 * the output directory and what to do.
 */
public final class OutputWriteFailure {
    private OutputWriteFailure() {
    }

    /** A user-facing error for {@code failure}, or null when it is already one or is not an I/O failure. */
    static SparkCaeException explain(Throwable failure, String outputDir) {
        Throwable io = null;
        SparkCaeException known = null;
        for (Throwable c = failure; c != null; c = c.getCause() == c ? null : c.getCause()) {
            if (known == null && c instanceof SparkCaeException s) {
                known = s;
            }
            if (io == null && (c instanceof IOException || c instanceof java.io.UncheckedIOException
                    || c.getClass().getName().equals("org.apache.hadoop.fs.FSError"))) {
                io = c;
            }
        }
        // a message that already says so (a checkpoint's) is kept: it names the file
        if (isDiskFull(failure) && (known == null || !mentionsDiskFull(known.getMessage()))) {
            return new SparkCaeException(ExitCode.INFRASTRUCTURE, outputDir + ": no space left on the device while"
                    + " writing this stage's output; the partial output was removed. Free space or pass another"
                    + " --run-dir", failure);
        }
        if (known != null || io == null) {
            return null;
        }
        return new SparkCaeException(ExitCode.INFRASTRUCTURE, outputDir + ": the stage failed on an I/O error"
                + " (its partial output was removed): " + io.getMessage(), failure);
    }

    /** Whether {@code failure} (or a cause) is a full disk or an exceeded quota. */
    public static boolean isDiskFull(Throwable failure) {
        for (Throwable c = failure; c != null; c = c.getCause() == c ? null : c.getCause()) {
            if (mentionsDiskFull(c.getMessage())) {
                return true;
            }
        }
        return false;
    }

    private static boolean mentionsDiskFull(String message) {
        String m = String.valueOf(message).toLowerCase(Locale.ROOT);
        return m.contains("no space left on") || m.contains("disk quota exceeded");
    }
}
