package io.sparkcae.jobs.cli;

import org.apache.logging.log4j.Level;
import org.apache.logging.log4j.core.LogEvent;
import org.apache.logging.log4j.core.filter.AbstractFilter;

import java.util.Set;

/**
 * Keeps the console readable when a stage fails: drops events that carry a stack trace (attached or pasted into
 * the message, as Spark's "Lost task" lines do), the error-detail events meant for the log file, and Spark's
 * per-task failure lines, which only repeat the cause the CLI prints as its one {@code sparkcae: error:} line.
 * The run's log file ({@link RunLog}) still receives all of them.
 */
final class ConsoleNoiseFilter extends AbstractFilter {
    /** Spark loggers that report one task's failure (several lines per failed task, each with the trace). */
    static final Set<String> TASK_FAILURE_LOGGERS = Set.of(
            "org.apache.spark.scheduler.TaskSetManager",
            "org.apache.spark.executor.Executor",
            "org.apache.spark.sql.execution.datasources.FileFormatWriter",
            "org.apache.spark.sql.execution.datasources.FileFormatDataWriter",
            "org.apache.spark.internal.io.SparkHadoopWriter",
            "org.apache.spark.util.Utils");

    ConsoleNoiseFilter() {
        super(Result.DENY, Result.NEUTRAL);
    }

    @Override
    public Result filter(LogEvent event) {
        return noise(event.getLoggerName(), event.getLevel(), event.getThrown() != null,
                event.getMessage() == null ? "" : event.getMessage().getFormattedMessage()) ? onMatch : onMismatch;
    }

    static boolean noise(String logger, Level level, boolean hasThrown, String message) {
        if (RunLog.DETAIL_LOGGER.equals(logger) || hasThrown) {
            return true;
        }
        if (logger != null && TASK_FAILURE_LOGGERS.contains(logger) && level.isMoreSpecificThan(Level.WARN)) {
            return true;
        }
        return message.contains("\n\tat ") || message.contains("\nCaused by: ") || message.contains("Driver stacktrace:");
    }
}
