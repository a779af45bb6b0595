package io.sparkcae.jobs.bench.scaling;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * A network namespace of the bench's own, whose loopback interface carries the whole cluster (driver,
 * master, workers, executors, all on 127.0.0.1) and can be rate-limited with tc's token bucket filter
 * without touching the machine's own interfaces. {@link #create} makes it (its lo up, with an Ethernet
 * MTU of 1500 so the token bucket meets ordinary frame sizes); {@link #close} deletes it, and a shutdown
 * hook deletes it if the bench is interrupted. {@link #shapeCurrent} changes the qdisc of the namespace
 * the calling process runs in, and refuses unless that namespace is the bench's.
 */
final class LoopbackNamespace implements AutoCloseable {
    private final String name;
    private final Thread hook;

    private LoopbackNamespace(String name) {
        this.name = name;
        this.hook = new Thread(() -> exec(List.of("ip", "netns", "delete", name)));
        Runtime.getRuntime().addShutdownHook(hook);
    }

    /** Name of a bench namespace for this process: unique per process id. */
    static String nameFor(long pid) {
        return "sparkcae-scaling-" + pid;
    }

    /**
     * @return the namespace, or null after printing nothing: {@code why[0]} says why it could not be made
     *         (not root, no permission, no ip command)
     */
    static LoopbackNamespace create(String[] why) {
        String name = nameFor(ProcessHandle.current().pid());
        Result add = exec(List.of("ip", "netns", "add", name));
        if (add.rc != 0) {
            why[0] = "ip netns add failed (rc " + add.rc + "): " + add.output.strip();
            return null;
        }
        LoopbackNamespace ns = new LoopbackNamespace(name);
        Result up = exec(List.of("ip", "netns", "exec", name, "ip", "link", "set", "lo", "up", "mtu", "1500"));
        if (up.rc != 0) {
            ns.close();
            why[0] = "could not bring lo up in namespace " + name + ": " + up.output.strip();
            return null;
        }
        return ns;
    }

    String name() {
        return name;
    }

    /** The command prefix that runs a program inside this namespace. */
    List<String> execPrefix() {
        return List.of("ip", "netns", "exec", name);
    }

    /**
     * Sets the rate of lo in the namespace this process runs in, after checking that it is {@code expected}
     * (a bench namespace): the machine's own lo is never shaped.
     */
    static void shapeCurrent(String expected, LinkRate rate) {
        if (!expected.startsWith("sparkcae-scaling-")) {
            throw new IllegalStateException("refusing to shape a namespace the bench did not make: " + expected);
        }
        Result id = exec(List.of("ip", "netns", "identify"));
        if (id.rc != 0 || !id.output.strip().equals(expected)) {
            throw new IllegalStateException("not inside namespace " + expected + " (ip netns identify: '"
                    + id.output.strip() + "'); refusing to change lo's qdisc");
        }
        if (!rate.limited()) {
            exec(List.of("tc", "qdisc", "del", "dev", "lo", "root")); // fails harmlessly when none is set
            return;
        }
        Result r = exec(List.of("tc", "qdisc", "replace", "dev", "lo", "root", "tbf", "rate", rate.tcRate(),
                "burst", String.valueOf(rate.burstBytes()), "latency", "50ms"));
        if (r.rc != 0) {
            throw new IllegalStateException("tc could not shape lo to " + rate.label() + ": " + r.output.strip());
        }
    }

    @Override
    public void close() {
        exec(List.of("ip", "netns", "delete", name));
        try {
            Runtime.getRuntime().removeShutdownHook(hook);
        } catch (IllegalStateException e) {
            // already shutting down: the hook runs anyway and the delete is idempotent
        }
    }

    record Result(int rc, String output) {
    }

    static Result exec(List<String> cmd) {
        try {
            Process p = new ProcessBuilder(new ArrayList<>(cmd)).redirectErrorStream(true).start();
            String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            if (!p.waitFor(30, TimeUnit.SECONDS)) {
                p.destroyForcibly();
                return new Result(124, out + " (timed out)");
            }
            return new Result(p.exitValue(), out);
        } catch (IOException e) {
            return new Result(127, String.valueOf(e.getMessage()));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return new Result(130, "interrupted");
        }
    }
}
