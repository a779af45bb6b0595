package io.sparkcae.core.model;

import org.nd4j.linalg.api.ndarray.INDArray;

/** Latent codes (one row per patch) and reconstructions of one batch, from a single forward pass. */
public record ModelForward(INDArray latent, INDArray reconstruction) {
}
