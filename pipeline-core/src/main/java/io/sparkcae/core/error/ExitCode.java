package io.sparkcae.core.error;

/** Process exit codes: a scheduler (Airflow, a shell) acts on these, so they never change meaning. */
public enum ExitCode {
    OK(0),
    USAGE(2),
    BAD_DATA(3),
    DIVERGED(4),
    INFRASTRUCTURE(5);

    private final int code;

    ExitCode(int code) {
        this.code = code;
    }

    public int code() {
        return code;
    }
}
