package io.sparkcae.core.anomaly;

import org.junit.jupiter.api.Test;

import java.util.Arrays;
import java.util.Random;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

class KnnDistanceTest {
    private static final float[][] REFERENCE = {{0, 0}, {3, 0}, {0, 4}, {10, 10}};
    private static final String[] IDS = {"a", "b", "c", "d"};

    /** Distances from (0, 0): 0, 3, 4, 14.1; from (3, 4): 5, 4, 3, 9.2; from (10, 10): 14.1, 12.2, 11.7, 0. */
    @Test
    void meanOfTheKNearestByHand() {
        KnnDistance knn = new KnnDistance(REFERENCE, IDS, 2);
        double[] d = knn.meanDistances(new float[][]{{0, 0}, {3, 4}, {10, 10}}, new String[]{"q1", "q2", "q3"});
        assertArrayEquals(new double[]{(0 + 3) / 2.0, (3 + 4) / 2.0, (0 + Math.sqrt(100 + 36)) / 2.0}, d, 1e-9);
        KnnDistance k3 = new KnnDistance(REFERENCE, IDS, 3);
        assertEquals((0 + 3 + 4) / 3.0, k3.meanDistances(new float[][]{{0, 0}}, null)[0], 1e-9);
    }

    /** A reference row scored under its own id is not its own neighbour: a's neighbours are then b and c. */
    @Test
    void aReferenceRowIsScoredWithoutItself() {
        KnnDistance knn = new KnnDistance(REFERENCE, IDS, 2);
        double[] d = knn.meanDistances(new float[][]{{0, 0}, {0, 0}}, new String[]{"a", "other"});
        assertEquals((3 + 4) / 2.0, d[0], 1e-9);
        assertEquals((0 + 3) / 2.0, d[1], 1e-9);
    }

    @Test
    void kMustLeaveANeighbourForEveryReferenceRow() {
        assertThrows(IllegalArgumentException.class, () -> new KnnDistance(REFERENCE, IDS, 4));
        assertThrows(IllegalArgumentException.class, () -> new KnnDistance(REFERENCE, IDS, 0));
    }

    /** Many queries against a large reference are split into blocks; every block agrees with brute force. */
    @Test
    void blocksOfQueriesAgreeWithBruteForce() {
        Random rnd = new Random(3);
        int refs = 2500;
        int dims = 5;
        float[][] reference = new float[refs][dims];
        String[] ids = new String[refs];
        for (int r = 0; r < refs; r++) {
            for (int j = 0; j < dims; j++) {
                reference[r][j] = (float) (rnd.nextGaussian() * 3 + 20);
            }
            ids[r] = "r" + r;
        }
        int n = 4000; // > 4e6 / 2500 = 1600 queries per block
        float[][] queries = new float[n][];
        String[] qIds = new String[n];
        for (int i = 0; i < n; i++) {
            if (i % 10 == 0) {
                queries[i] = reference[i % refs].clone();
                qIds[i] = ids[i % refs];
            } else {
                queries[i] = new float[dims];
                for (int j = 0; j < dims; j++) {
                    queries[i][j] = (float) (rnd.nextGaussian() * 3 + 20);
                }
                qIds[i] = "q" + i;
            }
        }
        int k = 7;
        double[] fast = new KnnDistance(reference, ids, k).meanDistances(queries, qIds);
        for (int i = 0; i < n; i++) {
            double[] all = new double[refs];
            for (int r = 0; r < refs; r++) {
                double s = 0;
                for (int j = 0; j < dims; j++) {
                    double diff = queries[i][j] - reference[r][j];
                    s += diff * diff;
                }
                all[r] = qIds[i].equals(ids[r]) ? Double.POSITIVE_INFINITY : Math.sqrt(s);
            }
            Arrays.sort(all);
            double expected = Arrays.stream(all, 0, k).average().orElseThrow();
            assertEquals(expected, fast[i], 1e-6 * expected, "query " + i);
        }
    }
}
