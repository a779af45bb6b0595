package io.sparkcae.jobs.cluster;

import org.apache.spark.TaskContext;
import org.apache.spark.api.java.function.FlatMapFunction;
import org.apache.spark.util.TaskCompletionListener;

import java.util.Iterator;
import java.util.OptionalLong;

/**
 * Passes a partition through unchanged after raising the task thread's timer slack to
 * {@link #SLACK_NANOS} for the rest of the task ({@link ThreadTimerSlack} says why). Placed directly before
 * DL4J's gradient-sharing worker in the same task, it runs before the worker launches its Aeron transport,
 * whose threads then inherit the slack; the task thread gets its own slack back when the task ends (Spark
 * reuses it for other tasks).
 */
public final class CoarseTimerSlackPartitions<T> implements FlatMapFunction<Iterator<T>, T> {
    private static final long serialVersionUID = 1L;
    /** A poll every ~1 ms instead of ~20,000 a second; far below a training step's time. */
    public static final long SLACK_NANOS = 1_000_000L;

    @Override
    public Iterator<T> call(Iterator<T> partition) {
        TaskContext task = TaskContext.get();
        if (task != null) {
            OptionalLong before = ThreadTimerSlack.raise(SLACK_NANOS);
            if (before.isPresent()) {
                long restore = before.getAsLong();
                task.addTaskCompletionListener((TaskCompletionListener) ctx -> ThreadTimerSlack.set(restore));
            }
        }
        return partition;
    }
}
