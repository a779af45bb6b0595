package io.sparkcae.jobs.cli;

import org.apache.logging.log4j.Level;
import org.apache.logging.log4j.LogManager;
import org.apache.logging.log4j.core.Appender;
import org.apache.logging.log4j.core.LoggerContext;
import org.apache.logging.log4j.core.appender.ConsoleAppender;
import org.apache.logging.log4j.core.appender.FileAppender;
import org.apache.logging.log4j.core.config.Configuration;
import org.apache.logging.log4j.core.layout.PatternLayout;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalDateTime;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * The full log of one CLI invocation, stack traces included, in {@code <run-dir>/logs/sparkcae-<stage>-<time>.log}
 * (a local run dir that can be created), else in {@code <java.io.tmpdir>/sparkcae-logs/}. While it is open the
 * console shows no stack traces and none of Spark's task-failure lines ({@link ConsoleNoiseFilter}): the user
 * reads the one {@code sparkcae: error:} line, and the log holds the detail. {@code --verbose} keeps the
 * console complete.
 */
final class RunLog implements AutoCloseable {
    /** Logger whose events go to the log file only: the trace behind the one-line error. */
    static final String DETAIL_LOGGER = "io.sparkcae.error.detail";
    static final String LOGS_DIR = "logs";
    private static final String PATTERN = "%d{yyyy-MM-dd HH:mm:ss.SSS} %-5p [%t] %c: %m%n%throwable";

    private static volatile RunLog current;

    private final Path file;
    private final boolean verbose;
    private final FileAppender appender;
    private final List<ConsoleAppender> filtered = new ArrayList<>();
    private final ConsoleNoiseFilter filter;

    private RunLog(Path file, boolean verbose, boolean quietConsole) {
        this.file = file;
        this.verbose = verbose;
        LoggerContext ctx = (LoggerContext) LogManager.getContext(false);
        Configuration config = ctx.getConfiguration();
        appender = FileAppender.newBuilder()
                .setName("sparkcae-run-log-" + System.nanoTime())
                .withFileName(file.toString())
                .withAppend(true)
                .withCreateOnDemand(true)
                .setLayout(PatternLayout.newBuilder().withPattern(PATTERN).withConfiguration(config).build())
                .setConfiguration(config)
                .build();
        appender.start();
        config.addAppender(appender);
        config.getRootLogger().addAppender(appender, Level.ALL, null);
        filter = quietConsole && !verbose ? new ConsoleNoiseFilter() : null;
        if (filter != null) {
            filter.start();
            for (Appender a : config.getAppenders().values()) {
                if (a instanceof ConsoleAppender c) {
                    c.addFilter(filter);
                    filtered.add(c);
                }
            }
        }
        ctx.updateLoggers();
    }

    /**
     * Opens the log of a stage.
     *
     * @param runDir    the run dir as given (local path or URI); null for commands without one
     * @param writeable false on --dry-run, which must not create anything in the run dir
     */
    static RunLog open(String stage, String runDir, boolean writeable, boolean verbose, boolean quietConsole) {
        RunLog previous = current;
        if (previous != null) {
            previous.close(); // one CLI invocation at a time per JVM (tests run many in one)
        }
        String name = "sparkcae-" + stage + "-"
                + LocalDateTime.now().format(DateTimeFormatter.ofPattern("yyyyMMdd-HHmmss-SSS", Locale.ROOT)) + ".log";
        Path dir = writeable ? localLogsDir(runDir) : null;
        if (dir == null) {
            dir = Path.of(System.getProperty("java.io.tmpdir"), "sparkcae-logs");
        }
        RunLog log = new RunLog(dir.resolve(name), verbose, quietConsole);
        current = log;
        return log;
    }

    /** {@code <runDir>/logs} when the run dir is on the local file system and can be created; else null. */
    private static Path localLogsDir(String runDir) {
        if (runDir == null) {
            return null;
        }
        String local = runDir;
        if (local.startsWith("file:")) {
            local = java.net.URI.create(local).getPath();
        } else if (local.matches("^[A-Za-z][A-Za-z0-9+.-]*:.*")) {
            return null;
        }
        try {
            Path dir = Path.of(local).toAbsolutePath().resolve(LOGS_DIR);
            Files.createDirectories(dir);
            return Files.isWritable(dir) ? dir : null;
        } catch (IOException | RuntimeException e) {
            return null; // the stage itself reports the unusable run dir
        }
    }

    /** The open log of this process, or null. */
    static RunLog current() {
        return current;
    }

    Path file() {
        return file;
    }

    boolean verbose() {
        return verbose;
    }

    /** Writes the trace behind an error to the log file (only there). */
    void detail(String what, Throwable t) {
        LogManager.getLogger(DETAIL_LOGGER).error(what, t);
    }

    @Override
    public void close() {
        if (current == this) {
            current = null;
        }
        LoggerContext ctx = (LoggerContext) LogManager.getContext(false);
        Configuration config = ctx.getConfiguration();
        config.getRootLogger().removeAppender(appender.getName());
        if (config instanceof org.apache.logging.log4j.core.config.AbstractConfiguration ac) {
            ac.removeAppender(appender.getName()); // tests run many invocations in one JVM: no stopped leftovers
        }
        for (ConsoleAppender c : filtered) {
            c.removeFilter(filter);
        }
        ctx.updateLoggers();
        appender.stop();
    }
}
