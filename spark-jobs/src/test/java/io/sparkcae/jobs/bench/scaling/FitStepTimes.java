package io.sparkcae.jobs.bench.scaling;

import org.deeplearning4j.nn.api.Model;
import org.deeplearning4j.optimize.api.BaseTrainingListener;

import java.io.Serializable;
import java.util.HashMap;
import java.util.Map;

/**
 * Times the fit steps of the workers in this JVM: a listener that training masters ship to the executors
 * and set on the model each worker trains. A step is the interval between two consecutive
 * {@code iterationDone} calls for one model (a Spark task's under averaging, a training thread's under sharing);
 * inside it, {@code onGradientCalculation} splits the forward+backward pass (compute) from what follows it
 * (updater, and under sharing the threshold encoding and applying received updates). The first step of each
 * worker has no predecessor and is not counted, so a task's start-up (model rebuilt from the broadcast,
 * workspaces allocated) stays out of the compute time and lands in the round's overhead.
 */
public final class FitStepTimes extends BaseTrainingListener implements Serializable {
    private static final long serialVersionUID = 1L;
    private static final Map<Object, long[]> LAST = new HashMap<>(); // worker -> {last iterationDone, last gradient}
    private static long steps;
    private static long stepNanos;
    private static long gradNanos;
    private static long postNanos;
    private static long postCount;
    private static long iterations;
    private static long firstMillis = Long.MAX_VALUE;
    private static long lastMillis;

    /**
     * Sums since the last {@link #snapshotAndReset()}: steps timed and seconds in them, and every iteration
     * with the wall-clock times of the first and last (the span a sharing worker trained).
     */
    public record Totals(long steps, double stepSeconds, double gradSeconds, long postCount, double postSeconds,
                         long iterations, long firstMillis, long lastMillis) implements Serializable {
        static final Totals NONE = new Totals(0, 0, 0, 0, 0, 0, Long.MAX_VALUE, 0);

        public Totals plus(Totals o) {
            return new Totals(steps + o.steps, stepSeconds + o.stepSeconds, gradSeconds + o.gradSeconds,
                    postCount + o.postCount, postSeconds + o.postSeconds, iterations + o.iterations,
                    Math.min(firstMillis, o.firstMillis), Math.max(lastMillis, o.lastMillis));
        }

        /** Seconds per iteration between this JVM's first and last iteration, NaN with fewer than two. */
        public double iterationPeriod() {
            return iterations < 2 ? Double.NaN : (lastMillis - firstMillis) / 1e3 / (iterations - 1);
        }

        public double meanStep() {
            return steps == 0 ? Double.NaN : stepSeconds / steps;
        }

        public double meanGrad() {
            return steps == 0 ? Double.NaN : gradSeconds / steps;
        }

        public double meanPost() {
            return postCount == 0 ? Double.NaN : postSeconds / postCount;
        }
    }

    /** The model a worker trains: a new one per task under averaging, one replica per thread under sharing. */
    private static Object worker(Model model) {
        return System.identityHashCode(model);
    }

    @Override
    public void onGradientCalculation(Model model) {
        long now = System.nanoTime();
        synchronized (FitStepTimes.class) {
            long[] last = LAST.computeIfAbsent(worker(model), k -> new long[] {0, 0});
            last[1] = now;
        }
    }

    @Override
    public void iterationDone(Model model, int iteration, int epoch) {
        long now = System.nanoTime();
        long wall = System.currentTimeMillis();
        synchronized (FitStepTimes.class) {
            iterations++;
            firstMillis = Math.min(firstMillis, wall);
            lastMillis = Math.max(lastMillis, wall);
            Object w = worker(model);
            long[] last = LAST.get(w);
            if (last == null) {
                LAST.put(w, new long[] {now, 0});
                return;
            }
            if (last[1] != 0) {
                postNanos += now - last[1];
                postCount++;
            }
            if (last[0] != 0 && last[1] > last[0]) {
                steps++;
                stepNanos += now - last[0];
                gradNanos += last[1] - last[0];
            }
            last[0] = now;
            last[1] = 0;
            if (LAST.size() > 10_000) {
                LAST.clear(); // finished tasks leave their entries; keep the map small across many rounds
            }
        }
    }

    public static synchronized Totals snapshotAndReset() {
        Totals t = new Totals(steps, stepNanos / 1e9, gradNanos / 1e9, postCount, postNanos / 1e9, iterations,
                firstMillis, lastMillis);
        iterations = 0;
        firstMillis = Long.MAX_VALUE;
        lastMillis = 0;
        steps = 0;
        stepNanos = 0;
        gradNanos = 0;
        postNanos = 0;
        postCount = 0;
        LAST.clear();
        return t;
    }
}
