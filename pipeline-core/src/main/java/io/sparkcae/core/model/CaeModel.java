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

    /** Runs only the encoder; the latent of each patch as one row (spatial latents flattened). */
    public INDArray encode(INDArray batch) {
        java.util.List<INDArray> acts = network.feedForwardToLayer(latentLayer, batch, false);
        INDArray z = acts.get(acts.size() - 1);
        return z.rank() == 2 ? z : z.reshape('c', z.size(0), z.length() / z.size(0));
    }

    /** Latents and reconstructions in one pass: the encoder runs once for both. */
    public ModelForward forward(INDArray batch) {
        java.util.List<INDArray> acts = network.feedForward(batch, false);
        INDArray z = acts.get(latentLayer + 1);
        if (z.rank() != 2) {
            z = z.reshape('c', z.size(0), z.length() / z.size(0));
        }
        return new ModelForward(z, acts.get(acts.size() - 1));
    }

    public CaeModel withNetwork(MultiLayerNetwork replacement) {
        return new CaeModel(replacement, inputShape, latentLayer);
    }
}
