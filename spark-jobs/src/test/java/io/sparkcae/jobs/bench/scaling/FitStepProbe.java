package io.sparkcae.jobs.bench.scaling;

import org.apache.spark.SparkEnv;
import org.apache.spark.api.java.JavaSparkContext;
import scala.Tuple2;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Reads (and resets) {@link FitStepTimes} in every executor JVM. Spark cannot pin a task to an executor, so
 * it runs jobs of a few tasks per executor until each has answered once; the first task in a JVM takes the
 * snapshot and later ones of the same probe return that same snapshot (keyed by a token per probe).
 */
final class FitStepProbe {
    private static final Map<String, FitStepTimes.Totals> TAKEN = new ConcurrentHashMap<>();

    private FitStepProbe() {
    }

    /** @return the totals by executor id */
    static Map<String, FitStepTimes.Totals> run(JavaSparkContext jsc, int executors, Duration timeout) {
        String token = jsc.sc().applicationId() + "/" + System.nanoTime();
        long deadline = System.nanoTime() + timeout.toNanos();
        Map<String, FitStepTimes.Totals> out = new TreeMap<>();
        int tasks = Math.max(2, 4 * executors);
        List<Integer> ids = new ArrayList<>();
        for (int i = 0; i < tasks; i++) {
            ids.add(i);
        }
        do {
            List<Tuple2<String, FitStepTimes.Totals>> got = jsc.parallelize(ids, tasks)
                    .mapPartitions(it -> Collections.singletonList(new Tuple2<>(SparkEnv.get().executorId(),
                            TAKEN.computeIfAbsent(token, t -> FitStepTimes.snapshotAndReset()))).iterator())
                    .collect();
            got.forEach(t -> out.putIfAbsent(t._1(), t._2()));
        } while (out.size() < executors && System.nanoTime() < deadline);
        return out;
    }
}
