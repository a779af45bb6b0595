package io.sparkcae.core.config;

import java.io.Serializable;

/** Training settings ({@code sparkcae.train.*}). */
public record TrainConf(int epochs, int batchSize, double learningRate, TrainingMode mode, int workers,
                        int averagingFrequency, int prefetchBatches, int previewSamples, int[] labels,
                        Corruption corruption, double noiseLevel, LrSchedule lrSchedule, double lrGamma,
                        int lrStepEpochs, int earlyStoppingPatience, double earlyStoppingMinDelta,
                        int checkpointEveryEpochs, int checkpointEveryIterations, String checkpointDir, int checkpointKeep,
                        double sharingThreshold,
                        int sharingPort, String sharingController, String sharingNetworkMask,
                        int sharingWorkersPerNode, int sharingEpochTimeout, int klWarmupEpochs,
                        BatchScope batchScope, LrWorkerScaling lrWorkerScaling) implements Serializable {

    /**
     * What {@code batch-size} counts. WORKER: each worker fits batch-size patches per step, so N averaging
     * workers take N times fewer averaged steps per epoch than one. GLOBAL: batch-size is split across the
     * workers, so an epoch takes the same steps whatever the number of workers.
     */
    public enum BatchScope { WORKER, GLOBAL }

    /**
     * How the learning rate follows the number of workers when the batch is split across them (GLOBAL scope).
     * LOG: an eighth more per doubling of the workers (1 + log2(workers) / 8), because each worker's Adam sees
     * the noisier gradients of its smaller batch and takes smaller steps; NONE: the configured rate as it is.
     */
    public enum LrWorkerScaling { NONE, LOG }

    /** Whether batch-size is split across {@code workers} workers: GLOBAL scope and more than one worker. */
    public boolean splitsBatch(int workers) {
        return batchScope == BatchScope.GLOBAL && workers > 1;
    }

    /** The factor on learning-rate that {@code workers} workers train at (1 unless the batch is split). */
    public double workerLrFactor(int workers) {
        if (!splitsBatch(workers) || lrWorkerScaling == LrWorkerScaling.NONE) {
            return 1.0;
        }
        return 1.0 + Math.log(workers) / Math.log(2) / 8.0;
    }

    /**
     * The mini-batch each of {@code workers} workers fits: batch-size itself under WORKER scope, batch-size /
     * workers (rounded down, at least 1) under GLOBAL.
     */
    public int workerBatchSize(int workers) {
        return splitsBatch(workers) ? Math.max(1, batchSize / workers) : batchSize;
    }

    /**
     * These settings as each of {@code workers} workers runs them: batch-size replaced by what each fits (scope
     * WORKER), learning-rate by the rate they train at.
     */
    public TrainConf forWorkers(int workers) {
        return new TrainConf(epochs, workerBatchSize(workers), learningRate * workerLrFactor(workers), mode,
                this.workers, averagingFrequency, prefetchBatches, previewSamples, labels, corruption, noiseLevel,
                lrSchedule, lrGamma, lrStepEpochs, earlyStoppingPatience, earlyStoppingMinDelta, checkpointEveryEpochs,
                checkpointEveryIterations, checkpointDir, checkpointKeep, sharingThreshold, sharingPort,
                sharingController, sharingNetworkMask, sharingWorkersPerNode, sharingEpochTimeout, klWarmupEpochs,
                BatchScope.WORKER, LrWorkerScaling.NONE);
    }

    /**
     * Share of the configured KL weight used in a 1-based epoch: rises linearly to 1 over the warm-up
     * epochs (epoch/warm-up), so the decoder learns to use the code before the prior pulls it in.
     */
    public double klWarmupFactor(int epoch) {
        return klWarmupEpochs <= 0 ? 1.0 : Math.min(1.0, epoch / (double) klWarmupEpochs);
    }

    public enum LrSchedule { CONSTANT, STEP, EXPONENTIAL, COSINE }

    /**
     * Learning rate of a 1-based epoch under the per-epoch schedules; the peak for {@code cosine}, which changes
     * the rate every iteration instead (io.sparkcae.core.model.CosineSchedule).
     */
    public double learningRate(int epoch) {
        return switch (lrSchedule) {
            case CONSTANT, COSINE -> learningRate;
            case STEP -> learningRate * Math.pow(lrGamma, (epoch - 1) / lrStepEpochs);
            case EXPONENTIAL -> learningRate * Math.pow(lrGamma, epoch - 1);
        };
    }

    public enum TrainingMode { AVERAGING, SHARING }

    /** Input corruption of the denoising / inpainting variants. */
    public enum Corruption { NONE, GAUSSIAN, SALT_PEPPER, MASK }

    static TrainConf read(ConfReader r) {
        TrainConf t = new TrainConf(r.intAtLeast("epochs", 1), r.intAtLeast("batch-size", 1), r.positive("learning-rate"),
                r.oneOf("mode", TrainingMode.class), r.intAtLeast("workers", 0),
                r.intAtLeast("averaging-frequency", 1), r.intAtLeast("prefetch-batches", 0),
                r.intAtLeast("preview-samples", 0), r.intsOrEmpty("labels"), r.oneOf("corruption", Corruption.class),
                r.nonNegative("noise-level"), r.oneOf("lr-schedule", LrSchedule.class), r.positive("lr-gamma"),
                r.intAtLeast("lr-step-epochs", 1), r.intAtLeast("early-stopping-patience", 0),
                r.nonNegative("early-stopping-min-delta"), r.intAtLeast("checkpoint-every-epochs", 0),
                r.intAtLeast("checkpoint-every-iterations", 0), r.string("checkpoint-dir"), r.intAtLeast("checkpoint-keep", 1),
                r.positive("sharing-threshold"),
                r.intAtLeast("sharing-port", 1024), r.string("sharing-controller"), r.string("sharing-network-mask"),
                r.intAtLeast("sharing-workers-per-node", 0), r.intAtLeast("sharing-epoch-timeout", 0),
                r.intAtLeast("kl-warmup-epochs", 0), r.oneOf("batch-scope", BatchScope.class),
                r.oneOf("lr-worker-scaling", LrWorkerScaling.class));
        if (t.mode == TrainingMode.AVERAGING && t.checkpointEveryIterations % t.averagingFrequency != 0) {
            // a segment end forces an averaging round; off-grid segments would silently change the schedule
            throw r.bad("checkpoint-every-iterations", t.checkpointEveryIterations + " is not a multiple of"
                    + " sparkcae.train.averaging-frequency (" + t.averagingFrequency + ")");
        }
        if (WILDCARD_ADDRESSES.contains(t.sharingController.trim())) {
            // the driver's Aeron endpoint binds to this address, and its messages carry no authentication
            throw r.bad("sharing-controller", "'" + t.sharingController + "' would listen on every interface;"
                    + " give the driver's address on the cluster network (or \"\" for spark.driver.host)");
        }
        return t;
    }

    /** Addresses that bind every interface: never a gradient-sharing endpoint (see docs/security.md). */
    private static final java.util.Set<String> WILDCARD_ADDRESSES = java.util.Set.of("0.0.0.0", "::", "[::]", "*",
            "0:0:0:0:0:0:0:0");

    /**
     * These settings reduced to one timed epoch for the benchmarks: the given batch size (per worker), mode and workers,
     * this config's learning rate, averaging and sharing settings; no corruption, schedule or checkpoints.
     */
    public TrainConf forBenchmark(int batch, TrainingMode benchMode, int benchWorkers) {
        return new TrainConf(1, batch, learningRate, benchMode, benchWorkers, averagingFrequency, prefetchBatches, 0,
                new int[0], Corruption.NONE, 0, LrSchedule.CONSTANT, 1, 1, 0, 0, 0, 0, "", 1, sharingThreshold,
                sharingPort, sharingController, sharingNetworkMask, sharingWorkersPerNode, sharingEpochTimeout, 0,
                BatchScope.WORKER, LrWorkerScaling.NONE);
    }

    /** Whether any checkpoints are written (at epoch ends, mid-epoch, or both). */
    public boolean checkpointing() {
        return checkpointEveryEpochs > 0 || checkpointEveryIterations > 0;
    }
}
