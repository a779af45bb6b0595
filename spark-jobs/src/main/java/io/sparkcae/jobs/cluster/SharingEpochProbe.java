package io.sparkcae.jobs.cluster;

import org.apache.spark.SparkEnv;
import org.apache.spark.api.java.JavaSparkContext;
import scala.Tuple2;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Runs {@link SharingExecutorState#snapshotAndReset} once in every executor JVM after a gradient-sharing
 * epoch: the per-executor update counters for the metrics, each executor's parameters (to check they
 * agree with the driver's), and the reset that lets the next epoch's training master start cleanly.
 *
 * <p>Spark cannot pin a task to an executor, so the probe runs a job with a few tasks per task slot; the
 * first task in each JVM takes the snapshot, later ones return that same snapshot (keyed by a token per
 * probe), and jobs repeat until every registered executor has answered or the deadline passes.
 */
public final class SharingEpochProbe {
    private static final Map<String, SharingExecutorState.Snapshot> TAKEN = new ConcurrentHashMap<>();

    private SharingEpochProbe() {
    }

    /** @return the snapshots by executor id (sorted), possibly missing executors that never answered in time */
    public static Map<String, SharingExecutorState.Snapshot> run(JavaSparkContext jsc, Duration timeout) {
        String token = jsc.sc().applicationId() + "/" + System.nanoTime();
        long deadline = System.nanoTime() + timeout.toNanos();
        Map<String, SharingExecutorState.Snapshot> byHostPort = new LinkedHashMap<>();
        String previous = jsc.getLocalProperty("spark.job.description");
        jsc.setJobDescription("sparkcae train: gradient-sharing counters per executor");
        try {
            do {
                Set<String> expected = executorHostPorts(jsc);
                int tasks = Math.max(2, 3 * Math.max(jsc.defaultParallelism(), expected.size()));
                List<Integer> ids = new ArrayList<>();
                for (int i = 0; i < tasks; i++) {
                    ids.add(i);
                }
                List<Tuple2<String, SharingExecutorState.Snapshot>> got = jsc.parallelize(ids, tasks)
                        .mapPartitions(it -> Collections.singletonList(snapshotOnce(token)).iterator())
                        .collect();
                got.forEach(t -> byHostPort.putIfAbsent(t._1(), t._2()));
                if (byHostPort.keySet().containsAll(expected)) {
                    break;
                }
            } while (System.nanoTime() < deadline);
        } finally {
            jsc.setJobDescription(previous);
        }
        Map<String, SharingExecutorState.Snapshot> out = new TreeMap<>();
        byHostPort.values().forEach(s -> out.put(s.executorId(), s));
        return out;
    }

    private static Tuple2<String, SharingExecutorState.Snapshot> snapshotOnce(String token) {
        SparkEnv env = SparkEnv.get();
        String hostPort = env.blockManager().blockManagerId().hostPort();
        SharingExecutorState.Snapshot s = TAKEN.computeIfAbsent(token,
                t -> SharingExecutorState.snapshotAndReset(env.executorId(), hostPort));
        return new Tuple2<>(hostPort, s);
    }

    /** Block-manager host:port of every executor (the driver's own block manager left out, unless local). */
    private static Set<String> executorHostPorts(JavaSparkContext jsc) {
        Set<String> all = new HashSet<>(scala.collection.JavaConverters.mapAsJavaMapConverter(
                jsc.sc().getExecutorMemoryStatus()).asJava().keySet());
        if (all.size() > 1) {
            all.remove(SparkEnv.get().blockManager().blockManagerId().hostPort());
        }
        return all;
    }
}
