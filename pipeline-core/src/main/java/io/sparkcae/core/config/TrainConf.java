package io.sparkcae.core.config;

import java.io.Serializable;

/** Training settings ({@code sparkcae.train.*}). */
public record TrainConf(int epochs, int batchSize, double learningRate, TrainingMode mode, int workers,
                        int averagingFrequency, int prefetchBatches, int previewSamples, int[] labels,
                        Corruption corruption, double noiseLevel) implements Serializable {

    public enum TrainingMode { AVERAGING }

    /** Input corruption of the denoising / inpainting variants. */
    public enum Corruption { NONE, GAUSSIAN, SALT_PEPPER, MASK }

    static TrainConf read(ConfReader r) {
        return new TrainConf(r.intAtLeast("epochs", 1), r.intAtLeast("batch-size", 1), r.positive("learning-rate"),
                r.oneOf("mode", TrainingMode.class), r.intAtLeast("workers", 0),
                r.intAtLeast("averaging-frequency", 1), r.intAtLeast("prefetch-batches", 0),
                r.intAtLeast("preview-samples", 0), r.intsOrEmpty("labels"), r.oneOf("corruption", Corruption.class),
                r.nonNegative("noise-level"));
    }
}
