package io.sparkcae.jobs.common;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.databind.JsonNode;
import io.sparkcae.core.model.ModelSpec;
import io.sparkcae.prep.dataset.Manifest;

import java.util.List;

/**
 * {@code model.json}: what a trained model was built from and trained on, so encode and score can refuse
 * data of another shape and apply the same normalisation.
 */
@JsonIgnoreProperties(ignoreUnknown = true)
public record ModelMetadata(int formatVersion, ModelSpec spec, int[] inputShape, int latentLayer, int latentSize,
                            List<Manifest.ChannelStat> normalization, int epochsTrained, double bestValMse,
                            String dl4jVersion, String sparkVersion, JsonNode config) {
    public static final int FORMAT_VERSION = 1;
}
