package io.sparkcae.jobs.bench.scaling;

import org.apache.spark.scheduler.SparkListener;
import org.apache.spark.scheduler.SparkListenerBlockUpdated;
import org.apache.spark.scheduler.SparkListenerJobStart;
import org.apache.spark.scheduler.SparkListenerTaskEnd;
import org.apache.spark.storage.BlockUpdatedInfo;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * What the driver's Spark scheduler saw of the averaging rounds: every job with its tasks (executor, launch
 * and finish time, serialized result size, locality), and the broadcast pieces each block manager stored.
 * Executors store the pieces they fetch and report them to the driver, so the piece sizes per executor are
 * the broadcast bytes that reached it (parameters, updater state, task closures).
 */
final class RoundRecorder extends SparkListener {
    record Task(String executor, long launch, long finish, long resultBytes, boolean processLocal) {
    }

    record Job(int id, String name, List<Task> tasks) {
        long firstLaunch() {
            return tasks.stream().mapToLong(Task::launch).min().orElse(0);
        }

        long lastFinish() {
            return tasks.stream().mapToLong(Task::finish).max().orElse(0);
        }
    }

    private final Map<Integer, Integer> jobOfStage = new HashMap<>();
    private final List<Job> jobs = new ArrayList<>();
    private final Map<Integer, Job> byId = new HashMap<>();
    private final Map<String, Long> broadcastBytes = new HashMap<>();
    private final Set<String> seenPieces = new HashSet<>();

    @Override
    public synchronized void onJobStart(SparkListenerJobStart e) {
        String name = e.stageInfos().isEmpty() ? "" : e.stageInfos().head().name();
        Job j = new Job(e.jobId(), name, new ArrayList<>());
        jobs.add(j);
        byId.put(e.jobId(), j);
        scala.collection.Iterator<Object> it = e.stageIds().iterator();
        while (it.hasNext()) {
            jobOfStage.put((Integer) it.next(), e.jobId());
        }
    }

    @Override
    public synchronized void onTaskEnd(SparkListenerTaskEnd e) {
        Integer job = jobOfStage.get(e.stageId());
        Job j = job == null ? null : byId.get(job);
        if (j == null || e.taskInfo() == null) {
            return;
        }
        long result = e.taskMetrics() == null ? 0 : e.taskMetrics().resultSize();
        j.tasks().add(new Task(e.taskInfo().executorId(), e.taskInfo().launchTime(), e.taskInfo().finishTime(),
                result, "PROCESS_LOCAL".equals(e.taskInfo().taskLocality().toString())));
    }

    @Override
    public synchronized void onBlockUpdated(SparkListenerBlockUpdated e) {
        BlockUpdatedInfo b = e.blockUpdatedInfo();
        if (!b.blockId().isBroadcast() || !b.blockId().name().contains("piece") || !b.storageLevel().isValid()) {
            return;
        }
        String exec = b.blockManagerId().executorId();
        if (seenPieces.add(exec + "/" + b.blockId().name())) {
            broadcastBytes.merge(exec, b.memSize() + b.diskSize(), Long::sum);
        }
    }

    synchronized void clear() {
        jobs.clear();
        byId.clear();
        jobOfStage.clear();
        broadcastBytes.clear();
        seenPieces.clear();
    }

    synchronized List<Job> jobs() {
        List<Job> out = new ArrayList<>();
        for (Job j : jobs) {
            out.add(new Job(j.id(), j.name(), List.copyOf(j.tasks())));
        }
        return out;
    }

    /** Broadcast piece bytes stored per block manager ("driver" holds the originals). */
    synchronized Map<String, Long> broadcastBytes() {
        return Map.copyOf(broadcastBytes);
    }
}
