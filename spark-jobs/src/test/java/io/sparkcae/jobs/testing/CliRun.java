package io.sparkcae.jobs.testing;

import io.sparkcae.jobs.cli.SparkCaeCli;

import java.io.PrintWriter;
import java.io.StringWriter;

/** One CLI invocation in this JVM: its exit code and what it printed as errors. */
public record CliRun(int exitCode, String err) {
    public static CliRun of(String... args) {
        LocalSpark.get();
        StringWriter sw = new StringWriter();
        int code = SparkCaeCli.execute(new PrintWriter(sw, true), args);
        return new CliRun(code, sw.toString());
    }

    @Override
    public String toString() {
        return "exit " + exitCode + ": " + err;
    }
}
