package io.sparkcae.core.model;

import org.deeplearning4j.nn.api.Model;
import org.nd4j.linalg.api.ndarray.INDArray;

import java.util.Map;

/**
 * Starts the output layer at the data: its bias per channel becomes logit(mean of the normalised train values)
 * for a sigmoid output (the mean itself for a linear one), so the untrained network predicts the mean instead
 * of 0.5 (or 0) everywhere.
 *
 * <p>Why: on sparse fields (a blob in an empty volume, min-max scaled: mean ~0.01) an output starting at 0.5
 * is wrong by the same sign at every voxel, and Adam, which moves every weight by about the learning rate
 * whatever the gradient's size, drives all decoder pre-activations negative within an epoch or two: every
 * ReLU dies and the network is stuck at a constant output (seen on the 3D simulations: val MSE flat from
 * epoch 2 at the constant-prediction error). Starting at the mean removes that common push; on dense data
 * (Fashion-MNIST, mean 0.29: bias -0.9) it changes little.
 */
public final class OutputBiasInit {
    /** Keeps the logit finite for a channel that is (almost) all 0 or all 1. */
    private static final double CLAMP = 0.01;

    private OutputBiasInit() {
    }

    /** As {@link #toMeans(Model, double[])} from data-unit means and the normaliser's (x - shift) / scale. */
    public static void toMeans(Model network, double[] rawMeans, float[] shift, float[] scale) {
        double[] m = new double[rawMeans.length];
        for (int c = 0; c < m.length; c++) {
            m[c] = (rawMeans[c] - shift[c]) / scale[c];
        }
        toMeans(network, m);
    }

    /**
     * @param network      the freshly initialised CAE (any DL4J network whose last bias is the output layer's)
     * @param channelMeans mean of each channel of the train split, in the normalised units the network sees
     *                     (one value: the same for every channel)
     */
    public static void toMeans(Model network, double[] channelMeans) {
        String key = null;
        for (Map.Entry<String, INDArray> e : network.paramTable().entrySet()) {
            if (e.getKey().endsWith("_b")) {
                key = e.getKey(); // parameters come in layer order: the last bias is the output layer's
            }
        }
        if (network.paramTable().containsKey(CaeNetworkBuilder.OUTPUT_CONV + "_b")) {
            key = CaeNetworkBuilder.OUTPUT_CONV + "_b"; // ours, by name: whatever the graph's vertex order
        }
        if (key == null) {
            throw new IllegalArgumentException("network has no bias parameters");
        }
        INDArray bias = network.getParam(key).dup();
        if (channelMeans.length == 1 && bias.length() > 1) {
            // one statistic for every channel, as the normaliser then applies it (prep's stats follow
            // data.channels, which a multi-channel volume may not set)
            double[] all = new double[(int) bias.length()];
            java.util.Arrays.fill(all, channelMeans[0]);
            channelMeans = all;
        }
        if (bias.length() != channelMeans.length) {
            throw new IllegalArgumentException("output bias " + key + " has " + bias.length() + " values but there are "
                    + channelMeans.length + " channel means");
        }
        boolean linear = linearOutput(network);
        for (int c = 0; c < channelMeans.length; c++) {
            if (linear) {
                bias.putScalar(c, channelMeans[c]);
            } else {
                double p = Math.min(1 - CLAMP, Math.max(CLAMP, channelMeans[c]));
                bias.putScalar(c, Math.log(p / (1 - p)));
            }
        }
        network.setParam(key, bias);
    }

    /** A linear output (model.output = linear) starts at the mean itself rather than at its logit. */
    private static boolean linearOutput(Model network) {
        if (network instanceof org.deeplearning4j.nn.graph.ComputationGraph g
                && g.getLayer(CaeNetworkBuilder.OUTPUT_CONV) != null) {
            org.deeplearning4j.nn.conf.layers.Layer conf = g.getLayer(CaeNetworkBuilder.OUTPUT_CONV).conf().getLayer();
            return conf instanceof org.deeplearning4j.nn.conf.layers.BaseLayer b
                    && b.getActivationFn() instanceof org.nd4j.linalg.activations.impl.ActivationIdentity;
        }
        return false;
    }
}
