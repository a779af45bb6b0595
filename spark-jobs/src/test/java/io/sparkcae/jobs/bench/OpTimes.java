package io.sparkcae.jobs.bench;

import org.nd4j.linalg.api.ops.CustomOp;
import org.nd4j.linalg.api.ops.Op;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.profiler.OpProfiler;
import org.nd4j.linalg.profiler.ProfilerConfig;
import org.nd4j.linalg.profiler.data.StringAggregator;

import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.LongAdder;

/**
 * Wall time per ND4J op name while recording: ND4J's executioner times every op it runs when its profiler
 * checks elapsed time, and hands each time to the profiler's class aggregator. Replacing that aggregator
 * keeps the raw nanoseconds per op name (ND4J's own only prints them), including the custom ops the oneDNN
 * helpers issue and the matrix multiplies of dense layers.
 */
final class OpTimes extends StringAggregator implements AutoCloseable {
    /** Nanoseconds and calls of one op name. */
    record Total(long nanos, long calls) {
    }

    private final Map<String, LongAdder[]> totals = new ConcurrentHashMap<>();

    private OpTimes() {
    }

    /** Starts recording; {@link #close()} stops it and restores ND4J's defaults. */
    static OpTimes record() {
        OpTimes times = new OpTimes();
        OpProfiler.getInstance().reset();
        OpProfiler.getInstance().setClassAggergator(times);
        Nd4j.getExecutioner().setProfilingConfig(ProfilerConfig.builder().checkElapsedTime(true).build());
        return times;
    }

    @Override
    public void putTime(String key, Op op, long timeSpent) {
        add(op.opName(), timeSpent);
    }

    @Override
    public void putTime(String key, CustomOp op, long timeSpent) {
        add(op.opName(), timeSpent);
    }

    @Override
    public void putTime(String key, long timeSpent) {
        add(key, timeSpent);
    }

    private void add(String name, long nanos) {
        LongAdder[] t = totals.computeIfAbsent(name, k -> new LongAdder[]{new LongAdder(), new LongAdder()});
        t[0].add(nanos);
        t[1].increment();
    }

    /** What was recorded so far, by op name. */
    Map<String, Total> totals() {
        Map<String, Total> out = new TreeMap<>();
        totals.forEach((name, t) -> out.put(name, new Total(t[0].sum(), t[1].sum())));
        return out;
    }

    @Override
    public void close() {
        Nd4j.getExecutioner().setProfilingConfig(ProfilerConfig.builder().build());
        OpProfiler.getInstance().setClassAggergator(new StringAggregator());
        OpProfiler.getInstance().reset();
    }
}
