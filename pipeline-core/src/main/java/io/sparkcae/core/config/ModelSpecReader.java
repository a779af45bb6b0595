package io.sparkcae.core.config;

import io.sparkcae.core.model.ModelSpec;

/** Reads {@code sparkcae.model.*} into a {@link ModelSpec}. */
final class ModelSpecReader {
    private ModelSpecReader() {
    }

    static ModelSpec read(ConfReader r) {
        int kernel = r.intAtLeast("kernel", 1);
        if (kernel % 2 == 0) {
            throw r.bad("kernel", "must be odd so 'same' padding keeps sizes, got " + kernel);
        }
        ModelSpec.Bottleneck bottleneck = r.oneOf("bottleneck", ModelSpec.Bottleneck.class);
        boolean skips = r.bool("skip-connections");
        boolean variational = r.bool("variational");
        if (variational && bottleneck != ModelSpec.Bottleneck.VECTOR) {
            throw r.bad("variational", "needs sparkcae.model.bottleneck = vector, got "
                    + bottleneck.name().toLowerCase(java.util.Locale.ROOT));
        }
        if (variational && skips) {
            throw r.bad("variational", "cannot be combined with sparkcae.model.skip-connections = true (the skips"
                    + " would carry the code around the sampled latent)");
        }
        ModelSpec.Loss loss = r.oneOf("loss", ModelSpec.Loss.class);
        ModelSpec.Output output = r.oneOf("output", ModelSpec.Output.class);
        if (output == ModelSpec.Output.LINEAR && loss == ModelSpec.Loss.BCE) {
            throw r.bad("output", "linear cannot be combined with sparkcae.model.loss = bce (cross-entropy needs"
                    + " outputs in (0, 1)); use loss = mse or l1");
        }
        double[] weights = r.doublesOrEmpty("channel-weights");
        double sum = 0;
        for (double w : weights) {
            if (!(w >= 0) || Double.isInfinite(w)) {
                throw r.bad("channel-weights", "every weight must be a finite number >= 0, got " + w);
            }
            sum += w;
        }
        if (weights.length > 0 && sum == 0) {
            throw r.bad("channel-weights", "at least one weight must be above 0");
        }
        return new ModelSpec(r.positiveInts("encoder-channels"), kernel, bottleneck, r.intAtLeast("latent-dim", 1),
                r.oneOf("decoder", ModelSpec.Decoder.class), loss, skips, r.nonNegative("latent-l1"), variational,
                r.nonNegative("kl-beta"), output, weights, r.nonNegative("weight-decay"));
    }
}
