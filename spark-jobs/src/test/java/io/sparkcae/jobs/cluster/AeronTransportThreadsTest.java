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

/** DL4J's Aeron transport on 127.0.0.1: its subscription poller outlives shutdown() until it is ended. */
class AeronTransportThreadsTest {

    @Test
    void theSubscriptionPollerKeepsSpinningAfterShutdownUntilItIsEnded() throws Exception {
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
        List<Thread> alive = threads.threads().stream().filter(Thread::isAlive).toList();
        Thread poller = alive.stream().filter(AeronTransportThreads::isPoller).findFirst().orElseThrow(
                () -> new AssertionError("DL4J's poller ended by itself after shutdown(): the workaround is obsolete"));
        ThreadMXBean mx = ManagementFactory.getThreadMXBean();
        long cpuBefore = mx.getThreadCpuTime(poller.getId());
        Thread.sleep(1000);
        assertTrue(mx.getThreadCpuTime(poller.getId()) > cpuBefore, "the shut-down transport's poller still spins");

        assertTrue(threads.end() >= 1);
        for (Thread t : alive) {
            t.join(10_000);
            assertFalse(t.isAlive(), t.getName() + " still alive after end()");
        }
    }
}
