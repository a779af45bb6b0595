package io.sparkcae.core.metrics;

import java.io.Serializable;

/**
 * Per-channel count, mean, standard deviation, min and max, accumulated in one pass and mergeable, so
 * Spark computes them with one aggregate over the partitions.
 */
public final class ChannelStats implements Serializable {
    private static final long serialVersionUID = 1L;
    private final long[] count;
    private final double[] sum;
    private final double[] sumSq;
    private final double[] min;
    private final double[] max;

    public ChannelStats(int channels) {
        count = new long[channels];
        sum = new double[channels];
        sumSq = new double[channels];
        min = new double[channels];
        max = new double[channels];
        java.util.Arrays.fill(min, Double.POSITIVE_INFINITY);
        java.util.Arrays.fill(max, Double.NEGATIVE_INFINITY);
    }

    public int channels() {
        return count.length;
    }

    /** Adds one C-order tensor whose first axis is the channel. */
    public ChannelStats add(float[] data) {
        int per = data.length / count.length;
        for (int c = 0; c < count.length; c++) {
            double s = 0;
            double s2 = 0;
            double lo = min[c];
            double hi = max[c];
            for (int i = c * per, end = i + per; i < end; i++) {
                double v = data[i];
                s += v;
                s2 += v * v;
                lo = Math.min(lo, v);
                hi = Math.max(hi, v);
            }
            count[c] += per;
            sum[c] += s;
            sumSq[c] += s2;
            min[c] = lo;
            max[c] = hi;
        }
        return this;
    }

    public ChannelStats merge(ChannelStats o) {
        if (o.channels() != channels()) {
            throw new IllegalArgumentException("channel count " + o.channels() + " != " + channels());
        }
        for (int c = 0; c < count.length; c++) {
            count[c] += o.count[c];
            sum[c] += o.sum[c];
            sumSq[c] += o.sumSq[c];
            min[c] = Math.min(min[c], o.min[c]);
            max[c] = Math.max(max[c], o.max[c]);
        }
        return this;
    }

    public long count(int c) {
        return count[c];
    }

    public double mean(int c) {
        return count[c] == 0 ? Double.NaN : sum[c] / count[c];
    }

    public double std(int c) {
        if (count[c] == 0) {
            return Double.NaN;
        }
        double m = mean(c);
        return Math.sqrt(Math.max(0, sumSq[c] / count[c] - m * m));
    }

    public double min(int c) {
        return min[c];
    }

    public double max(int c) {
        return max[c];
    }
}
