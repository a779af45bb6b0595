package io.sparkcae.core.config;

import java.io.Serializable;

/** Training settings ({@code sparkcae.train.*}). */
public record TrainConf(int epochs, int batchSize, double learningRate, TrainingMode mode, int workers,
                        int averagingFrequency, int prefetchBatches, int previewSamples, int[] labels,
                        Corruption corruption, double noiseLevel, LrSchedule lrSchedule, double lrGamma,
                        int lrStepEpochs, int earlyStoppingPatience, double earlyStoppingMinDelta,
                        int checkpointEveryEpochs, String checkpointDir, int checkpointKeep, double sharingThreshold,
                        int sharingPort, String sharingController, String sharingNetworkMask,
                        int sharingWorkersPerNode, int sharingEpochTimeout) implements Serializable {

    public enum LrSchedule { CONSTANT, STEP, EXPONENTIAL }

    /** Learning rate of a 1-based epoch under the schedule. */
    public double learningRate(int epoch) {
        return switch (lrSchedule) {
            case CONSTANT -> learningRate;
            case STEP -> learningRate * Math.pow(lrGamma, (epoch - 1) / lrStepEpochs);
            case EXPONENTIAL -> learningRate * Math.pow(lrGamma, epoch - 1);
        };
    }

    public enum TrainingMode { AVERAGING, SHARING }

    /** Input corruption of the denoising / inpainting variants. */
    public enum Corruption { NONE, GAUSSIAN, SALT_PEPPER, MASK }

    static TrainConf read(ConfReader r) {
        return new TrainConf(r.intAtLeast("epochs", 1), r.intAtLeast("batch-size", 1), r.positive("learning-rate"),
                r.oneOf("mode", TrainingMode.class), r.intAtLeast("workers", 0),
                r.intAtLeast("averaging-frequency", 1), r.intAtLeast("prefetch-batches", 0),
                r.intAtLeast("preview-samples", 0), r.intsOrEmpty("labels"), r.oneOf("corruption", Corruption.class),
                r.nonNegative("noise-level"), r.oneOf("lr-schedule", LrSchedule.class), r.positive("lr-gamma"),
                r.intAtLeast("lr-step-epochs", 1), r.intAtLeast("early-stopping-patience", 0),
                r.nonNegative("early-stopping-min-delta"), r.intAtLeast("checkpoint-every-epochs", 0),
                r.string("checkpoint-dir"), r.intAtLeast("checkpoint-keep", 1), r.positive("sharing-threshold"),
                r.intAtLeast("sharing-port", 1024), r.string("sharing-controller"), r.string("sharing-network-mask"),
                r.intAtLeast("sharing-workers-per-node", 0), r.intAtLeast("sharing-epoch-timeout", 0));
    }
}
