package io.sparkcae.prep.dataset;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.databind.JsonNode;
import io.sparkcae.core.config.DataConf;
import io.sparkcae.core.tensor.ChannelNormalizer;
import io.sparkcae.core.tensor.PatchShape;

import java.util.List;
import java.util.Map;

/**
 * {@code _manifest.json} of a patch dataset: what later stages need without scanning the data — the patch
 * shape, split counts, the train split's per-channel statistics and the sources' geometry.
 */
@JsonIgnoreProperties(ignoreUnknown = true)
public record Manifest(int schemaVersion, int[] patchShape, int channels, Map<String, Long> counts,
                       Map<String, Long> dropped,
                       List<ChannelStat> trainStats, List<SourceInfo> sources, JsonNode prepConfig) {

    /** Statistics of one channel over the train split. */
    @JsonIgnoreProperties(ignoreUnknown = true)
    public record ChannelStat(int channel, double mean, double std, double min, double max, Double clipLow,
                              Double clipHigh) {
        public ChannelStat(int channel, double mean, double std, double min, double max) {
            this(channel, mean, std, min, max, null, null);
        }
    }

    /** One input source and the shape (C, [D,] H, W) of its samples, for reassembling patches into it. */
    @JsonIgnoreProperties(ignoreUnknown = true)
    public record SourceInfo(String name, int[] sampleShape) {
    }

    /** The normaliser a mode asks for, from this dataset's train-split statistics. */
    public ChannelNormalizer normalizer(DataConf.Normalization mode) {
        return normalizer(trainStats, mode);
    }

    /** The normaliser a mode asks for, from per-channel train statistics (a manifest's, or computed by a fit). */
    public static ChannelNormalizer normalizer(List<ChannelStat> trainStats, DataConf.Normalization mode) {
        int n = trainStats.size();
        double[] mean = new double[n];
        double[] std = new double[n];
        double[] min = new double[n];
        double[] max = new double[n];
        double[] low = new double[n];
        double[] high = new double[n];
        boolean clip = !trainStats.isEmpty();
        for (ChannelStat s : trainStats) {
            mean[s.channel()] = s.mean();
            std[s.channel()] = s.std();
            min[s.channel()] = s.min();
            max[s.channel()] = s.max();
            clip &= s.clipLow() != null && s.clipHigh() != null;
            low[s.channel()] = s.clipLow() == null ? Double.NaN : s.clipLow();
            high[s.channel()] = s.clipHigh() == null ? Double.NaN : s.clipHigh();
        }
        return clip ? ChannelNormalizer.of(mode, mean, std, min, max, low, high)
                : ChannelNormalizer.of(mode, mean, std, min, max);
    }

    public PatchShape shape() {
        return PatchShape.of(patchShape);
    }

    public long count(Split split) {
        return counts.getOrDefault(split.columnValue(), 0L);
    }
}
