package io.sparkcae.jobs.cli;

import io.sparkcae.core.error.ExitCode;
import io.sparkcae.core.error.SparkCaeException;
import io.sparkcae.core.fastpath.NativeFastPath;
import io.sparkcae.core.security.SerialFilter;
import picocli.CommandLine;
import picocli.CommandLine.Command;

import java.io.PrintWriter;
import java.util.List;

/**
 * {@code sparkcae}: one command line for every stage. Exit codes: 0 ok, 2 usage/config, 3 bad data,
 * 4 training diverged, 5 environment/infrastructure. A failure ends with exactly one {@code sparkcae: error:} line on
 * stderr naming the file, key or variable at fault; its stack trace goes to the run's log ({@link RunLog}), and
 * to stderr as well with {@code --verbose}. docs/errors.md lists the cases.
 */
@Command(name = "sparkcae", mixinStandardHelpOptions = true, version = "sparkcae 0.1.0",
        description = "Convolutional autoencoders on Spark: prep -> train -> encode -> score -> report.",
        subcommands = {PrepCommand.class, TrainCommand.class, EncodeCommand.class, PipelineCommand.class,
                ReassembleCommand.class, ScoreCommand.class, ReportCommand.class, RomCommand.class, SimulateCommand.class})
public final class SparkCaeCli implements Runnable {
    private static final String BENCH_COMMAND = "io.sparkcae.jobs.cli.BenchCommand";

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Override
    public void run() {
        throw new CommandLine.ParameterException(spec.commandLine(), "a subcommand is required");
    }

    public static void main(String[] args) {
        int code = execute(args);
        if (code == 0 && insideYarnApplicationMaster()) {
            // YARN cluster mode: the application master records a driver that calls System.exit before the
            // master reports its final status as FAILED ("Shutdown hook called before final status was
            // reported"), so a successful run must return from main instead. A failure still exits with its
            // code, which the master reports as FAILED either way.
            return;
        }
        System.exit(code);
    }

    /** The application master copies the Spark configuration into system properties before calling main. */
    static boolean insideYarnApplicationMaster() {
        return System.getProperty("spark.master", "").startsWith("yarn")
                && "cluster".equals(System.getProperty("spark.submit.deployMode"));
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
        CommandLine cli = commandLine();
        cli.setErr(err);
        cli.setExecutionExceptionHandler((ex, commandLine, parseResult) -> report(ex, commandLine.getErr()));
        cli.setParameterExceptionHandler((ex, args1) -> {
            // One line, last on stderr: the usage text would bury it; point at --help instead.
            cli.getErr().println("sparkcae: error: " + ex.getMessage() + " (see 'sparkcae "
                    + commandPath(ex.getCommandLine()) + "--help')");
            cli.getErr().flush();
            return ExitCode.USAGE.code();
        });
        // The log opens once the command is known and stays open until the error handler (which picocli calls
        // after the strategy has returned) has written the trace into it. --help and --version run no stage, so
        // they open none: a log would create <run-dir>/logs in the current directory.
        cli.setExecutionStrategy(parseResult -> {
            if (!helpRequested(parseResult)) {
                openRunLog(parseResult);
            }
            return new CommandLine.RunLast().execute(parseResult);
        });
        try {
            return cli.execute(args);
        } catch (LinkageError | RuntimeException e) {
            // picocli hands only a command's Exceptions to the handler; a native library that fails to load is
            // an Error, and an OutOfMemoryError must still end in the one line
            return report(e, err);
        } catch (OutOfMemoryError e) {
            return report(e, err);
        } finally {
            RunLog log = RunLog.current();
            if (log != null) {
                log.close();
            }
        }
    }

    /**
     * The command line model every invocation is parsed with: the subcommands ({@code bench} too when the tests jar
     * is on the classpath) and case-insensitive enum values. Tests parse documented command lines with it.
     */
    public static CommandLine commandLine() {
        CommandLine cli = new CommandLine(new SparkCaeCli());
        addBenchWhenPresent(cli);
        cli.setCaseInsensitiveEnumValuesAllowed(true);
        return cli;
    }

    private static boolean helpRequested(CommandLine.ParseResult parseResult) {
        for (CommandLine.ParseResult r = parseResult; r != null; r = r.subcommand()) {
            if (r.isUsageHelpRequested() || r.isVersionHelpRequested()) {
                return true;
            }
        }
        return false;
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

    private static String commandPath(CommandLine cl) {
        StringBuilder path = new StringBuilder();
        for (CommandLine c = cl; c != null && c.getParent() != null; c = c.getParent()) {
            path.insert(0, c.getCommandName() + " ");
        }
        return path.toString();
    }

    /** The log of the command about to run: the run dir's logs/ for a stage, a temp folder otherwise. */
    private static RunLog openRunLog(CommandLine.ParseResult parseResult) {
        List<CommandLine> chain = parseResult.asCommandLineList();
        CommandLine last = chain.get(chain.size() - 1);
        CommonOptions options = null;
        for (CommandLine.Model.CommandSpec mixin : last.getCommandSpec().mixins().values()) {
            if (mixin.userObject() instanceof CommonOptions o) {
                options = o;
            }
        }
        boolean text = options == null || options.logFormat == CommonOptions.LogFormat.TEXT;
        if (options == null) {
            return RunLog.open(last.getCommandName(), null, false, false, text);
        }
        return RunLog.open(last.getCommandName(), options.runDir, !options.dryRun, options.verbose, text);
    }

    static int report(Throwable ex, PrintWriter err) {
        SparkCaeException known = FailureClassifier.classify(ex);
        RunLog log = RunLog.current();
        boolean internal = known == null;
        String line;
        int code;
        if (known != null) {
            line = known.getMessage();
            code = known.exitCode().code();
        } else {
            String backend = NativeBackendFailure.describe(ex);
            if (backend != null) {
                line = backend;
            } else {
                line = "internal error: " + ex + "; please report it with the log";
            }
            code = ExitCode.INFRASTRUCTURE.code();
        }
        if (log != null) {
            log.detail("sparkcae: error: " + line, ex);
            if (internal || code == ExitCode.INFRASTRUCTURE.code()) {
                line += " (full trace: " + log.file() + ")";
            }
        }
        if (log == null && internal) {
            ex.printStackTrace(err); // no log to hold it (an error outside any command); --verbose shows it via the log
        }
        err.println("sparkcae: error: " + line);
        err.flush();
        return code;
    }
}
