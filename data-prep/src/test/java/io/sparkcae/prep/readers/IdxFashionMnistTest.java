package io.sparkcae.prep.readers;

import io.sparkcae.core.config.DataConf;
import io.sparkcae.core.tensor.PatchShape;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

/** The real Fashion-MNIST as Debian's dataset-fashion-mnist installs it (gzipped IDX); fails, saying how to install it, without it. */
class IdxFashionMnistTest {

    private static final Path DIR = Path.of(DataConf.FASHION_MNIST_DIR);

    @BeforeAll
    static void requireDataset() {
        // A skip would go green unnoticed; CI (.ci/run) installs the package, so its absence is a failure.
        if (!Files.isReadable(DIR.resolve("train-images-idx3-ubyte.gz"))
                || !Files.isReadable(DIR.resolve("t10k-images-idx3-ubyte.gz"))) {
            fail("Fashion-MNIST is not installed at " + DIR
                    + ": install it with `apt-get install -y dataset-fashion-mnist` (.ci/run does)");
        }
    }

    @Test
    void autoFindsTestThenTrainWithTheirLabels() {
        List<SampleReader> readers = SampleReaderFactory.open(DIR.toString(), "auto", ImageOptions.defaults());
        assertEquals(2, readers.size());
        IdxSampleReader test = assertInstanceOf(IdxSampleReader.class, readers.get(0));
        IdxSampleReader train = assertInstanceOf(IdxSampleReader.class, readers.get(1));
        assertEquals("t10k-images-idx3-ubyte.gz", test.source());
        assertEquals("train-images-idx3-ubyte.gz", train.source());
        assertEquals(DIR.resolve("t10k-labels-idx1-ubyte.gz").toString(), test.labelsPath());
        assertEquals(DIR.resolve("train-labels-idx1-ubyte.gz").toString(), train.labelsPath());
        assertEquals(10000, test.sampleCount());
        assertEquals(60000, train.sampleCount());
    }

    @Test
    void trainHas60000BalancedSamplesOf28x28() {
        checkAll(new IdxSampleReader(DIR.resolve("train-images-idx3-ubyte.gz").toString(),
                DIR.resolve("train-labels-idx1-ubyte.gz").toString()), 60000);
    }

    @Test
    void testHas10000BalancedSamplesOf28x28() {
        checkAll(new IdxSampleReader(DIR.resolve("t10k-images-idx3-ubyte.gz").toString(),
                DIR.resolve("t10k-labels-idx1-ubyte.gz").toString()), 10000);
    }

    /**
     * Streams every unit instead of collecting, to keep the test's memory small. Fashion-MNIST has exactly
     * count/10 samples per class, which only holds if images and labels stay aligned across units.
     */
    private static void checkAll(IdxSampleReader reader, int expected) {
        List<ReadUnit> units = reader.plan(7000);
        assertEquals((expected + 6999) / 7000, units.size());
        int[] perClass = new int[10];
        long next = 0;
        float min = Float.MAX_VALUE;
        float max = -Float.MAX_VALUE;
        for (ReadUnit unit : units) {
            for (var it = reader.read(unit); it.hasNext(); ) {
                Sample s = it.next();
                assertEquals(next++, s.index());
                assertEquals(PatchShape.of(1, 28, 28), s.shape());
                assertTrue(s.label() >= 0 && s.label() <= 9, () -> "label " + s.label());
                perClass[s.label()]++;
                for (float v : s.data()) {
                    min = Math.min(min, v);
                    max = Math.max(max, v);
                }
            }
        }
        assertEquals(expected, next);
        int[] balanced = new int[10];
        Arrays.fill(balanced, expected / 10);
        assertArrayEquals(balanced, perClass);
        // values lie in [0,1] and 8-bit data spans all of it
        assertEquals(0f, min);
        assertEquals(1f, max);
    }
}
