package io.sparkcae.jobs.cluster;

import org.junit.jupiter.api.Test;
import org.nd4j.parameterserver.distributed.conf.VoidConfiguration;
import org.nd4j.parameterserver.distributed.v2.transport.impl.AeronUdpTransport;

import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** DL4J's Aeron transport on 127.0.0.1: its threads outlive shutdown() until they are ended. */
class AeronTransportThreadsTest {

    @Test
    void theTransportsThreadsOutliveShutdownUntilTheyAreEnded() throws Exception {
        int port;
        try (DatagramSocket s = new DatagramSocket(0, InetAddress.getLoopbackAddress())) {
            port = s.getLocalPort();
        }
        AeronUdpTransport transport = new AeronUdpTransport("127.0.0.1", port,
                VoidConfiguration.builder().unicastPort(port).build());
        transport.launchAsMaster();
        AeronTransportThreads threads = AeronTransportThreads.of(transport);
        assertEquals(5, threads.size(), "two senders, two message handlers, one subscription poller");

        transport.shutdown();
        Thread.sleep(500);
        // shutdown() leaves the queue threads waiting on take() for good; the poller mostly spins on the closed
        // subscription (it dies only when the close reaches it mid-poll)
        List<Thread> alive = threads.threads().stream().filter(Thread::isAlive).toList();
        assertTrue(alive.size() >= 4, "threads left after shutdown(): " + alive);
        alive.stream().filter(AeronTransportThreads::isPoller).findFirst().ifPresent(poller -> {
            ThreadMXBean mx = ManagementFactory.getThreadMXBean();
            long cpuBefore = mx.getThreadCpuTime(poller.getId());
            sleep(1000);
            assertTrue(mx.getThreadCpuTime(poller.getId()) > cpuBefore, "a surviving poller spins");
        });

        assertEquals(alive.size(), threads.end());
        for (Thread t : alive) {
            t.join(10_000);
            assertFalse(t.isAlive(), t.getName() + " still alive after end(): "
                    + java.util.Arrays.toString(t.getStackTrace()));
        }
    }

    private static void sleep(long ms) {
        try {
            Thread.sleep(ms);
        } catch (InterruptedException e) {
            throw new AssertionError(e);
        }
    }
}
