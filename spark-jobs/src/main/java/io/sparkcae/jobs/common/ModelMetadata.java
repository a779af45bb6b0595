package io.sparkcae.jobs.common;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.databind.JsonNode;
import io.sparkcae.core.config.DataConf;
import io.sparkcae.core.model.ModelSpec;
import io.sparkcae.core.tensor.ChannelNormalizer;
import io.sparkcae.prep.dataset.Manifest;

import java.util.List;

/**
 * {@code model.json}: what a trained model was built from and trained on, so encode and score can refuse
 * data of another shape and apply the same normalisation, and the anomaly threshold calibrated for it
 * ({@code threshold}; null in models written before it existed).
 */
@JsonIgnoreProperties(ignoreUnknown = true)
public record ModelMetadata(int formatVersion, ModelSpec spec, int[] inputShape, String latentVertex, int latentSize,
                            List<Manifest.ChannelStat> trainStats, DataConf.Normalization normalization,
                            float[] normalizationShift, float[] normalizationScale, float[] clipLow,
                            float[] clipHigh, int epochsTrained, double bestValMse, AnomalyThreshold threshold,
                            String dl4jVersion, String sparkVersion, JsonNode config) {
    /** 2: the network is a ComputationGraph and the latent is named by its vertex (1: layer stack, layer index). */
    public static final int FORMAT_VERSION = 2;

    /** The normaliser the model was trained with; encode and score apply exactly this one. */
    public ChannelNormalizer normalizer() {
        return new ChannelNormalizer(normalization, normalizationShift, normalizationScale, clipLow, clipHigh);
    }
}
