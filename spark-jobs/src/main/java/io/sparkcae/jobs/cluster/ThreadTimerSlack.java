package io.sparkcae.jobs.cluster;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.OptionalLong;

/**
 * The Linux timer slack of the calling thread: how late the kernel may wake it from a timed sleep, inherited by
 * every thread it starts.
 *
 * <p>Why: DL4J 1.0.0-M2.1's Aeron transport polls its subscription in a loop that sleeps 1 µs between empty
 * polls ({@code AeronUdpTransport}), with no setting to change it. At the default 50 µs slack that is about
 * 20,000 wake-ups a second and 12-20% of a core per JVM, taken from training. The transport's threads (and
 * the embedded Aeron media driver's) are started by the thread that launches it, so a thread that raises its
 * own slack before DL4J launches the transport gives all of them the coarser wake-up: a poll every ~1 ms,
 * which costs a gradient update at most that much latency (a training step takes tens of milliseconds).
 *
 * <p>A thread may set its own slack without privileges ({@code /proc/<tid>/timerslack_ns}, Linux 4.6+); where
 * the file is missing or not writable nothing changes and training goes on as before.
 */
public final class ThreadTimerSlack {
    private ThreadTimerSlack() {
    }

    /** The calling thread's slack in nanoseconds, or empty where the kernel does not expose it. */
    public static OptionalLong current() {
        return read(file());
    }

    /** Sets the calling thread's slack; returns whether it was set. */
    public static boolean set(long nanos) {
        return write(file(), nanos);
    }

    /**
     * Raises the calling thread's slack to {@code nanos} when it is lower; returns the slack it had, for the
     * caller to {@link #set} back, or empty when nothing changed (already as coarse, or not settable here).
     */
    public static OptionalLong raise(long nanos) {
        Path file = file();
        OptionalLong before = read(file);
        return before.isPresent() && before.getAsLong() < nanos && write(file, nanos) ? before : OptionalLong.empty();
    }

    private static OptionalLong read(Path file) {
        if (file == null) {
            return OptionalLong.empty();
        }
        try {
            return OptionalLong.of(Long.parseLong(Files.readString(file, StandardCharsets.US_ASCII).trim()));
        } catch (IOException | NumberFormatException | SecurityException e) {
            return OptionalLong.empty();
        }
    }

    private static boolean write(Path file, long nanos) {
        if (file == null || nanos <= 0) {
            return false;
        }
        try {
            Files.writeString(file, Long.toString(nanos), StandardCharsets.US_ASCII);
            return true;
        } catch (IOException | SecurityException e) {
            return false;
        }
    }

    /** {@code /proc/<tid>/timerslack_ns} of the calling thread ({@code /proc/thread-self} names its tid). */
    private static Path file() {
        try {
            Path self = Files.readSymbolicLink(Path.of("/proc/thread-self")); // "<pid>/task/<tid>"
            Path file = Path.of("/proc", self.getFileName().toString(), "timerslack_ns");
            return Files.isRegularFile(file) ? file : null;
        } catch (IOException | UnsupportedOperationException | SecurityException | java.nio.file.InvalidPathException e) {
            return null;
        }
    }
}
