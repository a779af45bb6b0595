package io.sparkcae.core.model;

import io.sparkcae.core.tensor.PatchShape;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.nd4j.linalg.api.ndarray.INDArray;


/**
 * A trained (or freshly initialised) autoencoder: the DL4J network plus what is needed to use it as an
 * encoder — the patch shape it accepts and which layer holds the latent code.
 */
public final class CaeModel {
    private final MultiLayerNetwork network;
    private final PatchShape inputShape;
    private final int latentLayer;
    private EncoderDecoderSplit split;

    public CaeModel(MultiLayerNetwork network, PatchShape inputShape, int latentLayer) {
        this.network = network;
        this.inputShape = inputShape;
        this.latentLayer = latentLayer;
    }

    public MultiLayerNetwork network() {
        return network;
    }

    public PatchShape inputShape() {
        return inputShape;
    }

    public int latentLayer() {
        return latentLayer;
    }

    /** Full forward pass in inference mode: the reconstruction of each patch in the batch. */
    public INDArray reconstruct(INDArray batch) {
        return network.output(batch, false);
    }

    /**
     * Runs only the encoder; the latent of each patch as one row (spatial latents flattened). Like
     * {@link #forward}, it uses encoder/decoder networks that view this network's parameters.
     */
    public INDArray encode(INDArray batch) {
        return split().encode(batch);
    }

    /**
     * Latents and reconstructions in one pass: the encoder runs once for both. The split networks share
     * this network's parameters, so they must be re-created after further training.
     */
    public ModelForward forward(INDArray batch) {
        return split().forward(batch);
    }

    private EncoderDecoderSplit split() {
        if (split == null) {
            split = new EncoderDecoderSplit(network, latentLayer);
        }
        return split;
    }

    public CaeModel withNetwork(MultiLayerNetwork replacement) {
        return new CaeModel(replacement, inputShape, latentLayer);
    }
}
