package io.sparkcae.jobs.cluster;

import io.aeron.Aeron;
import io.aeron.driver.status.SystemCounterDescriptor;
import org.agrona.concurrent.status.CountersReader;
import org.deeplearning4j.nn.api.Model;
import org.deeplearning4j.spark.parameterserver.pw.SharedTrainingWrapper;
import org.nd4j.parameterserver.distributed.v2.ModelParameterServer;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.parameterserver.distributed.v2.transport.Transport;
import org.nd4j.parameterserver.distributed.v2.transport.UpdatesHandler;
import org.reactivestreams.Subscription;

import java.io.Serializable;
import java.lang.reflect.Field;
import java.util.concurrent.atomic.AtomicLong;

/**
 * What gradient sharing did in this JVM since its parameter-server client started, and the reset that
 * makes the next training master start a new one.
 *
 * <p>Why the reset: DL4J keeps one {@code ModelParameterServer} per JVM. A new SharedTrainingMaster (we make
 * one per epoch) restarts the driver's endpoint with a new random Aeron stream id and a new updates
 * consumer, but an executor whose server is still "initialized" keeps its old transport (publishing on the
 * old stream, which nobody reads any more) and its old updates consumer (applying received updates to the
 * previous epoch's model copy). Result: from the second epoch on, executors' updates never reach the driver
 * and the driver's parameters barely move. Shutting the executor's server down after each epoch makes
 * DL4J build a fresh transport and consumer for the next one.
 *
 * <p>The counters read here are DL4J's and Aeron's own: update messages sent (WiredEncodingHandler) and
 * received (a counting subscriber on the parameter server), and the media driver's "Bytes sent"/"Bytes received" system counters. They
 * are reached by reflection into DL4J 1.0.0-M2 internals (no public accessor exists); a field that is not
 * found reads as -1 rather than failing training.
 */
public final class SharingExecutorState {
    /** Training iterations (mini-batches) in this JVM since the last snapshot. */
    private static final AtomicLong BATCHES = new AtomicLong();
    /** When the first and the latest of those iterations ended (System.nanoTime; 0 = none yet). */
    private static final AtomicLong FIRST_STEP_NANOS = new AtomicLong();
    private static final AtomicLong LAST_STEP_NANOS = new AtomicLong();

    private SharingExecutorState() {
    }

    /**
     * One executor's figures for one epoch, and its parameters after the epoch (for consistency checks).
     * {@code stepSpanSeconds}: from the end of its first iteration to the end of its last, so it spans
     * {@code batches - 1} training steps and none of the epoch's setup (broadcast, Aeron connections) or end.
     */
    public record Snapshot(String executorId, String hostPort, long updatesSent, long updatesReceived, long bytesSent,
                           long bytesReceived, long batches, double stepSpanSeconds, float[] params)
            implements Serializable {
    }

    /** Update messages that reached this JVM's parameter server since the last snapshot. */
    private static final AtomicLong RECEIVED = new AtomicLong();
    private static volatile boolean receiverAttached;

    /**
     * Called after every training iteration in this JVM (SharingIterationListener). By then DL4J has started
     * this JVM's parameter server, so this is where a counting subscriber joins it (DL4J's own
     * received-updates counter stays at 0 on executors, whose consumer only queues updates).
     */
    public static void countIteration() {
        BATCHES.incrementAndGet();
        long now = System.nanoTime();
        FIRST_STEP_NANOS.compareAndSet(0, now);
        LAST_STEP_NANOS.set(now);
        if (!receiverAttached) {
            synchronized (SharingExecutorState.class) {
                ModelParameterServer mps = ModelParameterServer.getInstance();
                if (!receiverAttached && mps.isInitialized()) {
                    mps.addUpdatesSubscriber(new ReceivedUpdatesCounter());
                    receiverAttached = true;
                }
            }
        }
    }

    /** Counts the updates DL4J's parameter server hands to its subscribers. */
    private static final class ReceivedUpdatesCounter implements UpdatesHandler {
        @Override
        public void onSubscribe(Subscription s) {
            // DL4J pushes without demand signalling
        }

        @Override
        public void onNext(INDArray update) {
            RECEIVED.incrementAndGet();
        }

        @Override
        public void onError(Throwable t) {
            // nothing to count
        }

        @Override
        public void onComplete() {
            // nothing to count
        }

        @Override
        public INDArray getParametersArray() {
            return null;
        }
    }

    /**
     * Reads this JVM's counters, then (unless this is the driver JVM, as in local mode, whose server DL4J
     * manages itself) shuts the parameter-server client down so the next epoch starts a fresh one.
     */
    public static synchronized Snapshot snapshotAndReset(String executorId, String hostPort) {
        ModelParameterServer mps = ModelParameterServer.getInstance();
        long bytesSent = -1;
        long bytesReceived = -1;
        Transport transport = mps.getTransport();
        Aeron aeron = transport == null ? null : (Aeron) InternalField.read(transport, "aeron");
        if (aeron != null && !aeron.isClosed()) {
            CountersReader counters = aeron.countersReader();
            bytesSent = counters.getCounterValue(SystemCounterDescriptor.BYTES_SENT.id());
            bytesReceived = counters.getCounterValue(SystemCounterDescriptor.BYTES_RECEIVED.id());
        }
        Object wrapper = staticField(SharedTrainingWrapper.class, "INSTANCE");
        Object accumulator = wrapper == null ? null : InternalField.read(wrapper, "accumulator");
        Object handler = accumulator == null ? null : InternalField.read(accumulator, "handler");
        Object model = wrapper == null ? null : InternalField.read(wrapper, "originalModel");
        float[] params = model instanceof Model m && m.params() != null ? m.params().toFloatVector() : new float[0];
        long first = FIRST_STEP_NANOS.getAndSet(0);
        long last = LAST_STEP_NANOS.getAndSet(0);
        Snapshot s = new Snapshot(executorId, hostPort, counter(handler, "updatesCounter"), RECEIVED.getAndSet(0),
                bytesSent, bytesReceived, BATCHES.getAndSet(0), first == 0 ? 0 : (last - first) / 1e9, params);
        if (!"driver".equals(executorId) && mps.isInitialized()) {
            // Its Aeron poller is left running: ending it here would throw ThreadDeath into an executor JVM, whose
            // Spark handler exits on any uncaught throwable (AeronTransportThreads ends the driver's only).
            mps.shutdown(); // drops its subscribers too
            receiverAttached = false;
        }
        return s;
    }

    private static long counter(Object owner, String name) {
        Object v = owner == null ? null : InternalField.read(owner, name);
        return v instanceof AtomicLong a ? a.get() : -1;
    }

    private static Object staticField(Class<?> owner, String name) {
        try {
            Field f = owner.getDeclaredField(name);
            f.setAccessible(true);
            return f.get(null);
        } catch (ReflectiveOperationException | RuntimeException e) {
            return null;
        }
    }
}
