package io.sparkcae.core.model;

import java.io.Serializable;
import java.util.Arrays;

/**
 * The architecture of a convolutional autoencoder, independent of the input it will see: the same spec
 * builds a 2D net for (C,H,W) patches and a 3D net for (C,D,H,W) patches.
 *
 * @param encoderChannels output channels of each encoder block (conv + ReLU + 2x max-pool)
 * @param kernel          conv kernel size along every spatial axis
 * @param latentDim       size of the dense latent (vector bottleneck only)
 */
public record ModelSpec(int[] encoderChannels, int kernel, Bottleneck bottleneck, int latentDim, Decoder decoder,
                        Loss loss) implements Serializable {

    public enum Bottleneck { VECTOR, SPATIAL }

    /** UPSAMPLE = nearest upsampling + conv (default: no checkerboard, has a oneDNN helper). */
    public enum Decoder { UPSAMPLE, TRANSPOSED }

    public enum Loss { MSE, BCE, L1 }

    public ModelSpec {
        encoderChannels = encoderChannels.clone();
    }

    @Override
    public int[] encoderChannels() {
        return encoderChannels.clone();
    }

    /** Spatial reduction factor of the encoder along each axis. */
    public int downsampling() {
        return 1 << encoderChannels.length;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof ModelSpec m && Arrays.equals(encoderChannels, m.encoderChannels) && kernel == m.kernel
                && bottleneck == m.bottleneck && latentDim == m.latentDim && decoder == m.decoder && loss == m.loss;
    }

    @Override
    public int hashCode() {
        return Arrays.hashCode(encoderChannels) * 31 + latentDim;
    }

    @Override
    public String toString() {
        return "ModelSpec{encoder=" + Arrays.toString(encoderChannels) + ", kernel=" + kernel + ", bottleneck="
                + bottleneck + ", latentDim=" + latentDim + ", decoder=" + decoder + ", loss=" + loss + "}";
    }
}
