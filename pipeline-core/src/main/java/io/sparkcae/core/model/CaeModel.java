package io.sparkcae.core.model;

import io.sparkcae.core.tensor.PatchShape;
import io.sparkcae.core.model.layers.VariationalLatent;
import org.deeplearning4j.nn.conf.graph.LayerVertex;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.nd4j.linalg.api.ndarray.INDArray;

import java.util.List;


/**
 * A trained (or freshly initialised) autoencoder: the DL4J computation graph plus what is needed to use it
 * as an encoder — the patch shape it accepts and which vertex holds the latent code.
 */
public final class CaeModel {
    private final ComputationGraph network;
    private final PatchShape inputShape;
    private final String latentVertex;
    private EncoderDecoderSplit split;

    public CaeModel(ComputationGraph network, PatchShape inputShape, String latentVertex) {
        this.network = network;
        this.inputShape = inputShape;
        this.latentVertex = latentVertex;
    }

    public ComputationGraph network() {
        return network;
    }

    public PatchShape inputShape() {
        return inputShape;
    }

    public String latentVertex() {
        return latentVertex;
    }

    /** True for a variational bottleneck: the graph has a [mu | log-variance] vertex. */
    public boolean variational() {
        return network.getConfiguration().getVertices().containsKey(CaeNetworkBuilder.LATENT_PARAMS);
    }

    /** Full forward pass in inference mode: the reconstruction of each patch in the batch. */
    public INDArray reconstruct(INDArray batch) {
        return network.outputSingle(false, batch);
    }

    /**
     * Runs only the encoder; the latent of each patch as one row (spatial latents flattened). A variational
     * model encodes to the mean of its code distribution.
     */
    public INDArray encode(INDArray batch) {
        return split().encode(batch);
    }

    /** Latents and reconstructions in one pass: the encoder runs once for both. */
    public ModelForward forward(INDArray batch) {
        return split().forward(batch);
    }

    /** Variational only: the rows {@code [mu | log-variance]} of each patch's code distribution. */
    public INDArray latentDistribution(INDArray batch) {
        if (!variational()) {
            throw new IllegalStateException("not a variational model");
        }
        return network.output(List.of(CaeNetworkBuilder.LATENT_PARAMS), false, new INDArray[]{batch}, null)[0];
    }

    private EncoderDecoderSplit split() {
        if (split == null) {
            split = new EncoderDecoderSplit(network, latentVertex);
        }
        return split;
    }

    /**
     * Variational only: the share of the KL weight (model.kl-beta) the next fit uses. Set on the graph
     * configuration (what DL4J's Spark training masters ship to workers) and on the live layers, which may
     * hold their own copy. Returns the effective KL weight, or NaN for a model without a KL term.
     */
    public static double setKlWarmup(ComputationGraph net, double factor) {
        double effective = Double.NaN;
        for (var v : net.getConfiguration().getVertices().values()) {
            if (v instanceof LayerVertex lv && lv.getLayerConf().getLayer() instanceof VariationalLatent vl) {
                vl.setWarmup(factor);
                effective = vl.effectiveBeta();
            }
        }
        for (org.deeplearning4j.nn.api.Layer l : net.getLayers()) {
            if (l.conf().getLayer() instanceof VariationalLatent vl) {
                vl.setWarmup(factor);
            }
        }
        return effective;
    }

    public CaeModel withNetwork(ComputationGraph replacement) {
        return new CaeModel(replacement, inputShape, latentVertex);
    }
}
