package io.sparkcae.core.error;

/**
 * An error a user can act on: its message is the one line printed to them and its exit code tells a
 * scheduler whether retrying could help (infrastructure) or not (usage, data).
 */
public class SparkCaeException extends RuntimeException {
    private final ExitCode exitCode;

    public SparkCaeException(ExitCode exitCode, String message) {
        super(message);
        this.exitCode = exitCode;
    }

    public SparkCaeException(ExitCode exitCode, String message, Throwable cause) {
        super(message, cause);
        this.exitCode = exitCode;
    }

    public ExitCode exitCode() {
        return exitCode;
    }

    public static SparkCaeException usage(String message) {
        return new SparkCaeException(ExitCode.USAGE, message);
    }

    public static SparkCaeException badData(String message) {
        return new SparkCaeException(ExitCode.BAD_DATA, message);
    }

    public static SparkCaeException badData(String message, Throwable cause) {
        return new SparkCaeException(ExitCode.BAD_DATA, message, cause);
    }
}
