package io.sparkcae.jobs.cli;

import io.sparkcae.core.error.ExitCode;
import io.sparkcae.core.error.SparkCaeException;
import io.sparkcae.core.fastpath.NativeFastPath;
import io.sparkcae.core.security.SerialFilter;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import picocli.CommandLine;
import picocli.CommandLine.Command;

import java.io.PrintWriter;

/**
 * {@code sparkcae}: one command line for every stage. Exit codes: 0 ok, 2 usage/config, 3 bad data,
 * 4 training diverged, 5 infrastructure. Errors print one line naming the file or key at fault.
 */
@Command(name = "sparkcae", mixinStandardHelpOptions = true, version = "sparkcae 0.1.0",
        description = "Convolutional autoencoders on Spark: prep -> train -> encode.",
        subcommands = {PrepCommand.class, TrainCommand.class, EncodeCommand.class, PipelineCommand.class,
                ReassembleCommand.class, ScoreCommand.class, ReportCommand.class, RomCommand.class, SimulateCommand.class})
public final class SparkCaeCli implements Runnable {
    private static final Logger LOG = LoggerFactory.getLogger(SparkCaeCli.class);
    private static final String BENCH_COMMAND = "io.sparkcae.jobs.cli.BenchCommand";

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Override
    public void run() {
        throw new CommandLine.ParameterException(spec.commandLine(), "a subcommand is required");
    }

    public static void main(String[] args) {
        int code = execute(args);
        System.exit(code);
    }

    /** The arguments of {@code sparkcae <command> args...}: what the per-stage main classes run. */
    public static String[] withCommand(String command, String[] args) {
        String[] all = new String[args.length + 1];
        all[0] = command;
        System.arraycopy(args, 0, all, 1, args.length);
        return all;
    }

    /** Runs the CLI and returns the exit code (tests call this; {@link #main} exits with it). */
    public static int execute(String... args) {
        return execute(new PrintWriter(System.err, true), args);
    }

    /** As {@link #execute(String...)}, with error lines going to {@code err}. */
    public static int execute(PrintWriter err, String... args) {
        // before Spark or DL4J read a single object stream: no deserialization outside the allowlist
        SerialFilter.installIfAbsent();
        NativeFastPath.configure();
        CommandLine cli = new CommandLine(new SparkCaeCli());
        addBenchWhenPresent(cli);
        cli.setErr(err);
        cli.setCaseInsensitiveEnumValuesAllowed(true);
        cli.setExecutionExceptionHandler((ex, commandLine, parseResult) -> report(ex, commandLine.getErr()));
        cli.setParameterExceptionHandler((ex, args1) -> {
            cli.getErr().println("sparkcae: error: " + ex.getMessage());
            ex.getCommandLine().usage(cli.getErr());
            return ExitCode.USAGE.code();
        });
        try {
            return cli.execute(args);
        } catch (LinkageError e) {
            // picocli hands only Exceptions to the handler; a native library that fails to load is an Error
            return report(e, err);
        }
    }

    /**
     * The benchmarks ship in the tests jar, not in the application: {@code deploy/sparkcae bench} puts that jar
     * on the classpath, and only then is {@code bench} a command.
     */
    private static void addBenchWhenPresent(CommandLine cli) {
        try {
            Class<?> bench = Class.forName(BENCH_COMMAND);
            java.lang.reflect.Constructor<?> make = bench.getDeclaredConstructor();
            make.setAccessible(true);
            cli.addSubcommand(make.newInstance());
        } catch (ClassNotFoundException absent) {
            // a production build: no benchmarks
        } catch (ReflectiveOperationException e) {
            throw new IllegalStateException("cannot load " + BENCH_COMMAND, e);
        }
    }

    static int report(Throwable ex, PrintWriter err) {
        SparkCaeException known = find(ex);
        if (known != null) {
            err.println("sparkcae: error: " + known.getMessage());
            err.flush();
            LOG.debug("error detail", ex);
            return known.exitCode().code();
        }
        String backend = NativeBackendFailure.describe(ex);
        if (backend != null) {
            err.println("sparkcae: error: " + backend);
            err.flush();
            LOG.debug("error detail", ex);
            return ExitCode.INFRASTRUCTURE.code();
        }
        err.println("sparkcae: internal error: " + ex);
        ex.printStackTrace(err);
        err.flush();
        return ExitCode.INFRASTRUCTURE.code();
    }

    /** Spark wraps a task's exception in its own; the user's error is somewhere in the cause chain. */
    private static SparkCaeException find(Throwable t) {
        for (Throwable c = t; c != null; c = c.getCause()) {
            if (c instanceof SparkCaeException s) {
                return s;
            }
            if (c.getCause() == c) {
                break;
            }
        }
        return null;
    }
}
