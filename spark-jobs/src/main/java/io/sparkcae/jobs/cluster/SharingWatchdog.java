package io.sparkcae.jobs.cluster;

import io.sparkcae.core.config.ConfKeys;
import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.scheduler.SparkListener;
import org.apache.spark.scheduler.SparkListenerExecutorRemoved;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Duration;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;

/**
 * Bounds one gradient-sharing fit. DL4J's Aeron transport has unbounded waits (an executor spins until the
 * driver introduces it; a send to a peer that died retries forever), so a lost executor or an unreachable
 * driver would hang the epoch. While armed, this listener cancels the fit's job group when an executor is
 * removed (its replacement cannot join a mesh mid-epoch) or when the epoch runs past the timeout, and
 * {@link #failure()} says why, for a clear error instead of a hang.
 */
public final class SharingWatchdog extends SparkListener implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(SharingWatchdog.class);
    private final JavaSparkContext jsc;
    private final String group;
    private final AtomicReference<String> failure = new AtomicReference<>();
    private final ScheduledExecutorService timer;

    /** @param timeout 0 = no time limit (executor loss still cancels) */
    public SharingWatchdog(JavaSparkContext jsc, String group, Duration timeout) {
        this.jsc = jsc;
        this.group = group;
        jsc.setJobGroup(group, "sparkcae train: " + group, true);
        jsc.sc().addSparkListener(this);
        if (timeout.isZero()) {
            timer = null;
        } else {
            timer = Executors.newSingleThreadScheduledExecutor(r -> {
                Thread t = new Thread(r, "sparkcae-sharing-watchdog");
                t.setDaemon(true);
                return t;
            });
            timer.schedule(() -> trip("the gradient-sharing epoch ran longer than " + timeout.toSeconds()
                    + " s (" + ConfKeys.SHARING_EPOCH_TIMEOUT + ")"), timeout.toMillis(), TimeUnit.MILLISECONDS);
        }
    }

    @Override
    public void onExecutorRemoved(SparkListenerExecutorRemoved removed) {
        trip("executor " + removed.executorId() + " was lost during gradient sharing (" + removed.reason()
                + "); DL4J's parameter-server mesh cannot take a replacement mid-epoch");
    }

    private void trip(String why) {
        if (failure.compareAndSet(null, why)) {
            LOG.error("cancelling the training epoch: {}", why);
            jsc.cancelJobGroup(group);
        }
    }

    /** Why the fit was cancelled, or null. */
    public String failure() {
        return failure.get();
    }

    @Override
    public void close() {
        if (timer != null) {
            timer.shutdownNow();
        }
        jsc.sc().removeSparkListener(this);
        jsc.clearJobGroup();
    }
}
