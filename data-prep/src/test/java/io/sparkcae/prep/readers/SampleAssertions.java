package io.sparkcae.prep.readers;

import io.sparkcae.core.error.ExitCode;
import io.sparkcae.core.error.SparkCaeException;
import org.junit.jupiter.api.function.Executable;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.ObjectInputStream;
import java.io.ObjectOutputStream;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Checks shared by the reader tests: error contract, unit reads, sample equality, serialization. */
final class SampleAssertions {

    private SampleAssertions() {
    }

    /** Runs {@code action}, expecting a SparkCaeException with this exit code whose message names {@code file}. */
    static SparkCaeException assertFails(ExitCode code, String file, Executable action) {
        SparkCaeException e = assertThrows(SparkCaeException.class, action);
        assertEquals(code, e.exitCode(), e.getMessage());
        assertTrue(e.getMessage().contains(file), "message should name " + file + ": " + e.getMessage());
        assertTrue(!e.getMessage().contains("\n"), "message should be one line: " + e.getMessage());
        return e;
    }

    static List<Sample> readAll(SampleReader reader, int maxRecordsPerUnit) {
        List<Sample> samples = new ArrayList<>();
        for (ReadUnit unit : reader.plan(maxRecordsPerUnit)) {
            samples.addAll(toList(reader.read(unit)));
        }
        return samples;
    }

    static List<Sample> toList(Iterator<Sample> it) {
        List<Sample> samples = new ArrayList<>();
        it.forEachRemaining(samples::add);
        return samples;
    }

    /** Record equality compares float[] by identity, so compare field by field. */
    static void assertSameSamples(List<Sample> expected, List<Sample> actual) {
        assertEquals(expected.size(), actual.size(), "sample count");
        for (int i = 0; i < expected.size(); i++) {
            Sample e = expected.get(i);
            Sample a = actual.get(i);
            assertEquals(e.source(), a.source(), "source of " + i);
            assertEquals(e.index(), a.index(), "index of " + i);
            assertEquals(e.label(), a.label(), "label of " + i);
            assertEquals(e.shape(), a.shape(), "shape of " + i);
            assertArrayEquals(e.data(), a.data(), "data of " + i);
        }
    }

    /** A Java-serialization round trip, as Spark does when it ships a reader to a task. */
    @SuppressWarnings("unchecked")
    static <T> T roundTrip(T value) {
        try {
            ByteArrayOutputStream bytes = new ByteArrayOutputStream();
            try (ObjectOutputStream out = new ObjectOutputStream(bytes)) {
                out.writeObject(value);
            }
            try (ObjectInputStream in = new ObjectInputStream(new ByteArrayInputStream(bytes.toByteArray()))) {
                return (T) in.readObject();
            }
        } catch (IOException | ClassNotFoundException e) {
            throw new UncheckedIOException(new IOException(e));
        }
    }
}
