package io.sparkcae.jobs.reassemble;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Output file names are unique for unique sources, and plain for plain names. */
class SampleKeyTest {
    private static String name(String source) {
        return SampleKey.fileName(SampleKey.of(source, source + ":0@0,0"));
    }

    @Test
    void plainNamesStayPlain() {
        assertEquals("scan.tif_0", name("scan.tif"));
    }

    @Test
    void namesThatSanitiseAlikeGetDistinctFiles() {
        String a = name("März.png");
        String b = name("Mürz.png");
        String c = name("M_rz.png");
        assertNotEquals(a, b);
        assertNotEquals(a, c);
        assertNotEquals(name("a b.png"), name("a_b.png"));
        assertTrue(a.matches("M_rz\\.png-[0-9a-f]{8}_0"), a);
    }
}
