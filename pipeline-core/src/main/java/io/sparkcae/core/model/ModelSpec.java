package io.sparkcae.core.model;

import java.io.Serializable;
import java.util.Arrays;
import java.util.Objects;

/**
 * The architecture of a convolutional autoencoder, independent of the input it will see: the same spec
 * builds a 2D net for (C,H,W) patches and a 3D net for (C,D,H,W) patches.
 *
 * @param encoderChannels output channels of each encoder block (conv + ReLU + 2x max-pool)
 * @param kernel          conv kernel size along every spatial axis
 * @param latentDim       size of the dense latent (vector bottleneck only)
 * @param skipConnections U-Net: each decoder block also sees the encoder block output of its resolution
 * @param latentL1        weight of the L1 activity penalty on the latent (0 = off): a sparse code
 * @param variational     mean and log-variance heads with a sampled latent and a KL term (vector bottleneck)
 * @param klBeta          weight of the KL term once warm-up is over (variational only)
 * @param output          the reconstruction's activation: sigmoid for data in [0, 1], linear for unbounded fields
 *                        (standardised velocities, pressures)
 * @param channelWeights  weight of each channel in the reconstruction loss (empty: all equal), so that one
 *                        field of several does not dominate it
 * @param weightDecay     decoupled weight decay of every layer's weights (0 = off)
 */
public record ModelSpec(int[] encoderChannels, int kernel, Bottleneck bottleneck, int latentDim, Decoder decoder,
                        Loss loss, boolean skipConnections, double latentL1, boolean variational, double klBeta,
                        Output output, double[] channelWeights, double weightDecay)
        implements Serializable {

    public enum Bottleneck { VECTOR, SPATIAL }

    /** UPSAMPLE = nearest upsampling + conv (default: no checkerboard, has a oneDNN helper). */
    public enum Decoder { UPSAMPLE, TRANSPOSED }

    public enum Loss { MSE, BCE, L1 }

    public enum Output { SIGMOID, LINEAR }

    public ModelSpec {
        encoderChannels = encoderChannels.clone();
        // a model.json written before these existed reads them as null
        output = output == null ? Output.SIGMOID : output;
        channelWeights = channelWeights == null ? new double[0] : channelWeights.clone();
    }

    /** As the canonical constructor, with a sigmoid output, equal channel weights and no weight decay. */
    public ModelSpec(int[] encoderChannels, int kernel, Bottleneck bottleneck, int latentDim, Decoder decoder,
                     Loss loss, boolean skipConnections, double latentL1, boolean variational, double klBeta) {
        this(encoderChannels, kernel, bottleneck, latentDim, decoder, loss, skipConnections, latentL1, variational,
                klBeta, Output.SIGMOID, new double[0], 0);
    }

    /** The plain autoencoder: no skips, no latent penalty, deterministic bottleneck. */
    public ModelSpec(int[] encoderChannels, int kernel, Bottleneck bottleneck, int latentDim, Decoder decoder,
                     Loss loss) {
        this(encoderChannels, kernel, bottleneck, latentDim, decoder, loss, false, 0, false, 1);
    }

    @Override
    public int[] encoderChannels() {
        return encoderChannels.clone();
    }

    @Override
    public double[] channelWeights() {
        return channelWeights.clone();
    }

    /** Spatial reduction factor of the encoder along each axis. */
    public int downsampling() {
        return 1 << encoderChannels.length;
    }

    public ModelSpec withSkipConnections(boolean on) {
        return new ModelSpec(encoderChannels, kernel, bottleneck, latentDim, decoder, loss, on, latentL1,
                variational, klBeta, output, channelWeights, weightDecay);
    }

    public ModelSpec withLatentL1(double lambda) {
        return new ModelSpec(encoderChannels, kernel, bottleneck, latentDim, decoder, loss, skipConnections, lambda,
                variational, klBeta, output, channelWeights, weightDecay);
    }

    public ModelSpec withVariational(boolean on, double beta) {
        return new ModelSpec(encoderChannels, kernel, bottleneck, latentDim, decoder, loss, skipConnections, latentL1,
                on, beta, output, channelWeights, weightDecay);
    }

    /** Short name of the variant for logs and reports, e.g. "vector+skips+l1". */
    public String variantName() {
        StringBuilder b = new StringBuilder(bottleneck.name().toLowerCase(java.util.Locale.ROOT));
        if (variational) {
            b.append("+variational");
        }
        if (skipConnections) {
            b.append("+skips");
        }
        if (latentL1 > 0) {
            b.append("+l1");
        }
        return b.toString();
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof ModelSpec m && Arrays.equals(encoderChannels, m.encoderChannels) && kernel == m.kernel
                && bottleneck == m.bottleneck && latentDim == m.latentDim && decoder == m.decoder && loss == m.loss
                && skipConnections == m.skipConnections && Double.compare(latentL1, m.latentL1) == 0
                && variational == m.variational && Double.compare(klBeta, m.klBeta) == 0 && output == m.output
                && Arrays.equals(channelWeights, m.channelWeights) && Double.compare(weightDecay, m.weightDecay) == 0;
    }

    @Override
    public int hashCode() {
        return Arrays.hashCode(encoderChannels) * 31 + Objects.hash(latentDim, skipConnections, latentL1, variational);
    }

    @Override
    public String toString() {
        return "ModelSpec{encoder=" + Arrays.toString(encoderChannels) + ", kernel=" + kernel + ", bottleneck="
                + bottleneck + ", latentDim=" + latentDim + ", decoder=" + decoder + ", loss=" + loss
                + ", skipConnections=" + skipConnections + ", latentL1=" + latentL1 + ", variational=" + variational
                + (variational ? ", klBeta=" + klBeta : "") + ", output=" + output
                + (channelWeights.length > 0 ? ", channelWeights=" + Arrays.toString(channelWeights) : "")
                + (weightDecay > 0 ? ", weightDecay=" + weightDecay : "") + "}";
    }
}
