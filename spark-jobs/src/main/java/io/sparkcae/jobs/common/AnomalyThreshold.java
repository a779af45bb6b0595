package io.sparkcae.jobs.common;

/**
 * The anomaly threshold a model carries in {@code model.json}: the {@code quantile} of the per-patch
 * reconstruction {@code metric} over {@code calibrationPatches} validation patches of the training labels,
 * computed by train right after it picked the best epoch. score flags patches above {@code value}.
 */
public record AnomalyThreshold(String metric, double quantile, double value, long calibrationPatches) {
}
