package io.sparkcae.jobs.cluster;

import org.nd4j.parameterserver.distributed.v2.transport.Transport;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.concurrent.ThreadPoolExecutor;

/**
 * The threads of DL4J's Aeron transport, ended after the transport is shut down.
 *
 * <p>Why: DL4J 1.0.0-M2's {@code AeronUdpTransport} polls its subscription in a {@code while (true)} loop
 * that sleeps 1 µs between empty polls and has no exit: {@code shutdown()} closes the subscription and shuts
 * the thread pool down, but the poller keeps spinning on the closed subscription for the life of the JVM,
 * at about a tenth of a core. Every training master of gradient sharing (one per epoch) leaves one such
 * poller in every executor, so a long run's executors lose a core to them. The poller ignores interrupts
 * (and an interrupt would turn its 1 µs sleep into a busy loop), so it can only be stopped; the transport's
 * other threads wait on queues and end cleanly on interrupt.
 *
 * <p>The threads are found through the transport's own thread pool (reflection into DL4J internals and into
 * {@link ThreadPoolExecutor}, whose package Spark opens to its JVMs); where a field is missing nothing is
 * ended and training goes on.
 */
public final class AeronTransportThreads {
    private static final Logger LOG = LoggerFactory.getLogger(AeronTransportThreads.class);
    private static final String POLLER_CLASS = "AeronUdpTransport$";
    private static final long JOIN_MILLIS = 500;

    private final List<Thread> threads;

    private AeronTransportThreads(List<Thread> threads) {
        this.threads = threads;
    }

    /** The threads {@code transport} started, read before it is shut down (its pool forgets them after). */
    public static AeronTransportThreads of(Transport transport) {
        List<Thread> found = new ArrayList<>();
        Object pool = transport == null ? null : InternalField.read(transport, "messagesExecutorService");
        Object workers = pool instanceof ThreadPoolExecutor ? InternalField.read(pool, "workers") : null;
        if (workers instanceof Collection<?> c) {
            for (Object worker : new ArrayList<>(c)) {
                if (InternalField.read(worker, "thread") instanceof Thread t) {
                    found.add(t);
                }
            }
        }
        return new AeronTransportThreads(found);
    }

    public int size() {
        return threads.size();
    }

    List<Thread> threads() {
        return List.copyOf(threads);
    }

    /** Aeron subscription pollers of DL4J transports alive in this JVM (for checks and tests). */
    public static long livePollers() {
        return Thread.getAllStackTraces().keySet().stream().filter(AeronTransportThreads::isPoller).count();
    }

    /**
     * Ends the threads of a transport that has been shut down: interrupts them all, which ends those waiting on
     * a queue, then stops whatever is still running after a short wait (the subscription poller, which an
     * interrupt does not end). Returns how many were still alive.
     */
    @SuppressWarnings("removal")
    public int end() {
        List<Thread> alive = threads.stream().filter(Thread::isAlive).toList();
        alive.forEach(Thread::interrupt);
        for (Thread t : alive) {
            try {
                t.join(JOIN_MILLIS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return alive.size();
            }
            if (t.isAlive()) {
                t.setUncaughtExceptionHandler((thread, death) -> { }); // the ThreadDeath is ours: not an error
                try {
                    t.stop(); // Java 17 still delivers ThreadDeath; the poller holds no lock while it spins
                } catch (UnsupportedOperationException e) {
                    LOG.warn("cannot stop DL4J's Aeron thread {} on this Java version: it keeps spinning until the"
                            + " JVM exits", t.getName());
                }
            }
        }
        return alive.size();
    }

    /** The poller is the one in the transport's run loop that idles or polls Aeron, not a queue. */
    static boolean isPoller(Thread t) {
        boolean inTransport = false;
        boolean onAeron = false;
        for (StackTraceElement e : t.getStackTrace()) {
            String c = e.getClassName();
            inTransport |= c.contains(POLLER_CLASS);
            onAeron |= c.endsWith("IdleStrategy") || c.startsWith("io.aeron.");
        }
        return inTransport && onAeron;
    }
}
