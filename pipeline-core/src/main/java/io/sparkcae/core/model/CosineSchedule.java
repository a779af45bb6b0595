package io.sparkcae.core.model;

import org.nd4j.linalg.schedule.ISchedule;
import org.nd4j.shade.jackson.annotation.JsonProperty;

/**
 * Learning rate per iteration: a linear warm-up to the peak over the first {@code warmupIterations}, then a
 * half cosine from the peak down to {@code floorFraction} of it at {@code totalIterations}, held there after.
 * The warm-up keeps Adam's first, poorly estimated steps small at a peak higher than a constant rate could
 * use; the decay lets the last epochs settle instead of bouncing at the peak rate.
 *
 * <p>DL4J stores it in the model's configuration (JSON, by class name) and asks it every step with the
 * network's iteration count, which training carries across averaging rounds, checkpoints and resumes.
 */
public final class CosineSchedule implements ISchedule {
    private static final long serialVersionUID = 1L;

    private final double peak;
    private final int warmupIterations;
    private final int totalIterations;
    private final double floorFraction;

    public CosineSchedule(@JsonProperty("peak") double peak, @JsonProperty("warmupIterations") int warmupIterations,
                          @JsonProperty("totalIterations") int totalIterations,
                          @JsonProperty("floorFraction") double floorFraction) {
        if (!(peak > 0) || warmupIterations < 0 || totalIterations < 1 || floorFraction < 0 || floorFraction > 1) {
            throw new IllegalArgumentException("cosine schedule: peak " + peak + ", warm-up " + warmupIterations
                    + ", total " + totalIterations + ", floor " + floorFraction);
        }
        this.peak = peak;
        this.warmupIterations = Math.min(warmupIterations, totalIterations);
        this.totalIterations = totalIterations;
        this.floorFraction = floorFraction;
    }

    /**
     * The schedule {@code train.lr-schedule = cosine} uses: warm-up over the first 3% of the iterations, down to
     * 1% of the peak at the end of the last epoch.
     */
    public static CosineSchedule over(double peak, int totalIterations) {
        int total = Math.max(1, totalIterations);
        return new CosineSchedule(peak, Math.max(1, (int) Math.round(total * 0.03)), total, 0.01);
    }

    @Override
    public double valueAt(int iteration, int epoch) {
        if (iteration < warmupIterations) {
            return peak * (iteration + 1) / warmupIterations;
        }
        int decay = totalIterations - warmupIterations;
        double progress = decay <= 0 ? 1 : Math.min(1.0, (iteration - warmupIterations) / (double) decay);
        return peak * (floorFraction + (1 - floorFraction) * 0.5 * (1 + Math.cos(Math.PI * progress)));
    }

    @Override
    public ISchedule clone() {
        return new CosineSchedule(peak, warmupIterations, totalIterations, floorFraction);
    }

    @JsonProperty("peak")
    public double peak() {
        return peak;
    }

    @JsonProperty("warmupIterations")
    public int warmupIterations() {
        return warmupIterations;
    }

    @JsonProperty("totalIterations")
    public int totalIterations() {
        return totalIterations;
    }

    @JsonProperty("floorFraction")
    public double floorFraction() {
        return floorFraction;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof CosineSchedule c && c.peak == peak && c.warmupIterations == warmupIterations
                && c.totalIterations == totalIterations && c.floorFraction == floorFraction;
    }

    @Override
    public int hashCode() {
        return java.util.Objects.hash(peak, warmupIterations, totalIterations, floorFraction);
    }

    @Override
    public String toString() {
        return "CosineSchedule(peak=" + peak + ", warmup=" + warmupIterations + ", total=" + totalIterations
                + ", floor=" + floorFraction + ")";
    }
}
