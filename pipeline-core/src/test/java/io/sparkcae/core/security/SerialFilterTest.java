package io.sparkcae.core.security;

import org.junit.jupiter.api.Test;

import java.io.ObjectInputFilter;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The allowlist shipped in the jar: what it admits, what it refuses, and that it never replaces a set filter. */
class SerialFilterTest {
    private static ObjectInputFilter.Status check(ObjectInputFilter filter, Class<?> type, long depth, long refs,
                                                  long bytes) {
        return filter.checkInput(new ObjectInputFilter.FilterInfo() {
            public Class<?> serialClass() {
                return type;
            }

            public long arrayLength() {
                return -1;
            }

            public long depth() {
                return depth;
            }

            public long references() {
                return refs;
            }

            public long streamBytes() {
                return bytes;
            }
        });
    }

    @Test
    void thePatternAdmitsTheListedPackagesAndRefusesEverythingElse() throws Exception {
        String pattern = SerialFilter.pattern();
        assertTrue(pattern.endsWith(";!*"), pattern);
        ObjectInputFilter f = ObjectInputFilter.Config.createFilter(pattern);
        for (String allowed : new String[]{"java.util.ArrayList",
                "org.nd4j.linalg.dataset.DataSet", "org.deeplearning4j.nn.conf.ComputationGraphConfiguration",
                "io.sparkcae.core.config.TrainConf"}) {
            assertEquals(ObjectInputFilter.Status.ALLOWED, check(f, Class.forName(allowed, false,
                    getClass().getClassLoader()), 1, 1, 1), allowed);
        }
        // a class of the JDK's management API (a known gadget entry point) and one of an arbitrary library
        for (String refused : new String[]{"javax.management.BadAttributeValueExpException",
                "org.knowm.xchart.XYChart", "org.junit.jupiter.api.Assertions"}) {
            Class<?> c;
            try {
                c = Class.forName(refused, false, getClass().getClassLoader());
            } catch (ClassNotFoundException e) {
                continue; // not on this module's classpath
            }
            assertEquals(ObjectInputFilter.Status.REJECTED, check(f, c, 1, 1, 1), refused);
        }
        assertEquals(ObjectInputFilter.Status.REJECTED, check(f, String.class, 100_000, 1, 1), "depth limit");
    }

    @Test
    void anInstalledFilterIsNeverReplaced() {
        // Surefire starts this JVM with -Djdk.serialFilter from conf/jvm.properties, as every launcher does
        assertEquals(SerialFilter.pattern(), System.getProperty("jdk.serialFilter"));
        assertFalse(SerialFilter.installIfAbsent());
    }
}
