package io.sparkcae.jobs.cluster;

import io.sparkcae.jobs.testing.LocalSpark;
import org.apache.spark.api.java.JavaSparkContext;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import java.util.List;
import java.util.concurrent.atomic.AtomicLong;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/** The timer slack that DL4J's Aeron threads inherit from the training task that starts them (Linux). */
@ExtendWith(LocalSpark.class)
class ThreadTimerSlackTest {

    /** The slack of a thread started by the calling thread, as DL4J's transport starts its poller. */
    private static long childSlack() throws InterruptedException {
        AtomicLong seen = new AtomicLong(-1);
        Thread child = new Thread(() -> seen.set(ThreadTimerSlack.current().orElse(-1)));
        child.start();
        child.join();
        return seen.get();
    }

    @Test
    void aThreadSetsItsOwnSlackAndTheThreadsItStartsInheritIt() throws Exception {
        assumeTrue(ThreadTimerSlack.current().isPresent(), "no /proc/<tid>/timerslack_ns here");
        AtomicLong own = new AtomicLong();
        AtomicLong inherited = new AtomicLong();
        Thread t = new Thread(() -> {
            assertTrue(ThreadTimerSlack.set(2_000_000));
            own.set(ThreadTimerSlack.current().orElse(-1));
            try {
                inherited.set(childSlack());
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        });
        t.start();
        t.join();
        assertEquals(2_000_000, own.get());
        assertEquals(2_000_000, inherited.get());
        assertTrue(ThreadTimerSlack.current().orElse(-1) < 2_000_000, "the starting thread's slack is its own");
    }

    @Test
    void theTaskRunsWithCoarseSlackAndSparkGetsItsThreadBackUnchanged() throws Exception {
        assumeTrue(ThreadTimerSlack.current().isPresent(), "no /proc/<tid>/timerslack_ns here");
        JavaSparkContext jsc = JavaSparkContext.fromSparkContext(LocalSpark.get().sparkContext());
        List<Long> during = jsc.parallelize(List.of(1, 2, 3, 4), 4)
                .mapPartitions(new CoarseTimerSlackPartitions<>(), true)
                .mapPartitions(it -> List.of(childSlack()).iterator())
                .collect();
        assertEquals(List.of(CoarseTimerSlackPartitions.SLACK_NANOS, CoarseTimerSlackPartitions.SLACK_NANOS,
                CoarseTimerSlackPartitions.SLACK_NANOS, CoarseTimerSlackPartitions.SLACK_NANOS), during);
        List<Long> after = jsc.parallelize(List.of(1, 2, 3, 4), 4)
                .mapPartitions(it -> List.of(ThreadTimerSlack.current().orElse(-1)).iterator())
                .collect();
        for (long s : after) {
            assertTrue(s > 0 && s < CoarseTimerSlackPartitions.SLACK_NANOS, "restored: " + s);
        }
    }
}
