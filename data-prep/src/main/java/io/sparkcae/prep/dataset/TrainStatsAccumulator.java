package io.sparkcae.prep.dataset;

import io.sparkcae.core.metrics.ChannelStats;
import org.apache.spark.TaskContext;
import org.apache.spark.util.AccumulatorV2;

import java.util.Map;
import java.util.TreeMap;

/**
 * Train-split channel statistics gathered while prep writes the patches, so no second pass over the data
 * is needed. Contributions are kept per partition and a partition's entry is replaced, not added, when
 * merged again: a retried or speculative task reports the same statistics for its partition, so the total
 * stays exact, which a plain sum accumulator would not.
 */
public final class TrainStatsAccumulator extends AccumulatorV2<float[], Map<Integer, ChannelStats>> {
    private static final long serialVersionUID = 1L;
    private final int channels;
    private TreeMap<Integer, ChannelStats> byPartition = new TreeMap<>();

    public TrainStatsAccumulator(int channels) {
        this.channels = channels;
    }

    @Override
    public boolean isZero() {
        return byPartition.isEmpty();
    }

    @Override
    public AccumulatorV2<float[], Map<Integer, ChannelStats>> copy() {
        TrainStatsAccumulator c = new TrainStatsAccumulator(channels);
        byPartition.forEach((k, v) -> c.byPartition.put(k, new ChannelStats(v.channels()).merge(v)));
        return c;
    }

    @Override
    public void reset() {
        byPartition = new TreeMap<>();
    }

    /** Adds one train patch (C-order values) of the configured channel count to the current task's partition. */
    @Override
    public void add(float[] patch) {
        addPatch(patch, channels);
    }

    /**
     * Adds one train patch of {@code patchChannels} channels: the count comes from the data (a volume's
     * channels are in its file, not in the image settings the accumulator was created with).
     */
    public void addPatch(float[] patch, int patchChannels) {
        TaskContext tc = TaskContext.get();
        int partition = tc == null ? -1 : tc.partitionId();
        byPartition.computeIfAbsent(partition, p -> new ChannelStats(patchChannels)).add(patch);
    }

    @Override
    public void merge(AccumulatorV2<float[], Map<Integer, ChannelStats>> other) {
        byPartition.putAll(other.value());
    }

    @Override
    public Map<Integer, ChannelStats> value() {
        return byPartition;
    }

    /** The statistics over all partitions. */
    public ChannelStats total() {
        ChannelStats t = new ChannelStats(byPartition.isEmpty() ? channels : byPartition.firstEntry().getValue().channels());
        byPartition.values().forEach(t::merge);
        return t;
    }
}
