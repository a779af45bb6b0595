package io.sparkcae.jobs.bench.scaling;

import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

class ScalingModelTest {
    private static final ScalingModel.Constants KNOWN = new ScalingModel.Constants(0.08, 0.03, 1.5, 1.2, 0.004, 0.02);

    /** Points whose periods the known constants produce exactly, over the grid the bench measures. */
    private static List<ScalingModel.Point> synthetic() {
        ScalingModel truth = new ScalingModel(KNOWN);
        List<ScalingModel.Point> out = new ArrayList<>();
        double[] rates = {Double.POSITIVE_INFINITY, 50e6 / 8, 20e6 / 8};
        for (int n = 1; n <= 4; n++) {
            for (double rate : rates) {
                double step = 0.05 * n * (1 + 0.1 * (rate < 1e9 ? 1 : 0)); // compute grows with N, as on shared cores
                for (int f : new int[] {5, 20}) {
                    ScalingModel.Point p = new ScalingModel.Point(ScalingModel.Mode.AVERAGING, f, n, f, "r", rate, 32,
                            step, step * 0.9, 1, n * 700_000.0);
                    out.add(withPeriod(p, truth.periodSeconds(p)));
                }
                for (double th : new double[] {1e-3, 1e-4}) {
                    ScalingModel.Point p = new ScalingModel.Point(ScalingModel.Mode.SHARING, th, n, 1, "r", rate, 32,
                            step * 1.1, step, 1, n * n * 9_000.0);
                    out.add(withPeriod(p, truth.periodSeconds(p)));
                }
            }
        }
        return out;
    }

    private static ScalingModel.Point withPeriod(ScalingModel.Point p, double period) {
        return new ScalingModel.Point(p.mode(), p.param(), p.workers(), p.frequency(), p.rate(), p.bytesPerSecond(),
                p.batch(), p.stepSeconds(), p.computeSeconds(), period, p.bytes());
    }

    @Test
    void fittingPointsMadeByKnownConstantsRecoversThem() {
        ScalingModel.Constants k = ScalingModel.fit(synthetic()).constants();
        assertEquals(KNOWN.a(), k.a(), 1e-6);
        assertEquals(KNOWN.b(), k.b(), 1e-6);
        assertEquals(KNOWN.g(), k.g(), 1e-6);
        assertEquals(KNOWN.c(), k.c(), 1e-6);
        assertEquals(KNOWN.e0(), k.e0(), 1e-6);
        assertEquals(KNOWN.e1(), k.e1(), 1e-6);
    }

    @Test
    void aPointOffTheModelIsReportedWithItsError() {
        List<ScalingModel.Point> points = synthetic();
        ScalingModel.Point p = points.get(0);
        ScalingModel.Point slow = withPeriod(p, p.periodSeconds() * 2); // measured at half the model's throughput
        points.set(0, slow);
        ScalingModel model = ScalingModel.fit(points);
        // the other points hold the constants (the slow one pulls them a little), so it stands out: predicted
        // well above its measured rate, and the largest error of all
        double err = model.errorPercent(slow);
        assertTrue(err > 40, "error of the off-model point: " + err);
        for (ScalingModel.Point p2 : points.subList(1, points.size())) {
            assertTrue(Math.abs(model.errorPercent(p2)) < err, "an on-model point: " + model.errorPercent(p2));
        }
    }

    @Test
    void withoutALimitedLinkTheBandwidthTermIsHeldAtZero() {
        List<ScalingModel.Point> unlimited = synthetic().stream()
                .filter(p -> !Double.isFinite(p.bytesPerSecond())).toList();
        ScalingModel.Constants k = ScalingModel.fit(unlimited).constants();
        assertEquals(0, k.c());
        assertEquals(KNOWN.a(), k.a(), 1e-6);
    }

    @Test
    void oneWorkerCountFitsWithThePerWorkerCostFoldedIntoTheFixedCost() {
        // with N = 1 everywhere the columns of a and b are the same: b is held at 0 and a carries both
        List<ScalingModel.Point> single = synthetic().stream().filter(p -> p.workers() == 1).toList();
        ScalingModel model = ScalingModel.fit(single);
        assertEquals(0, model.constants().b());
        assertEquals(KNOWN.a() + KNOWN.b(), model.constants().a(), 1e-6);
        for (ScalingModel.Point p : single) {
            assertEquals(0, model.errorPercent(p), 1e-6);
        }
    }

    @Test
    void aConstantTheDataWouldMakeNegativeIsHeldAtZero() {
        // y = 2 - x exactly: an unconstrained fit of y = p0 + p1 x gives p1 = -1
        List<double[]> rows = List.of(new double[] {1, 0}, new double[] {1, 1}, new double[] {1, 2});
        double[] v = ScalingModel.nonNegativeLeastSquares(rows, List.of(2.0, 1.0, 0.0));
        assertEquals(0, v[1]);
        assertEquals(1.0, v[0], 1e-9); // the mean of y once x is dropped
    }

    @Test
    void sharingIsBandwidthBoundOnlyWhenTheLinkIsSlowerThanTheCompute() {
        ScalingModel m = new ScalingModel(KNOWN);
        ScalingModel.Point fast = new ScalingModel.Point(ScalingModel.Mode.SHARING, 1e-3, 4, 1, "r", 1e9, 32, 0.1, 0.1,
                1, 1e5);
        ScalingModel.Point slow = new ScalingModel.Point(ScalingModel.Mode.SHARING, 1e-3, 4, 1, "r", 1e5, 32, 0.1, 0.1,
                1, 1e5);
        assertEquals(0.1 + 0.004 + 3 * 0.02, m.periodSeconds(fast), 1e-12);
        assertEquals(1.2 * 1e5 / 1e5, m.periodSeconds(slow), 1e-12);
    }
}
