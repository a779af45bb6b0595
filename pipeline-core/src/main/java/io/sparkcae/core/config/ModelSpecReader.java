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
        return new ModelSpec(r.positiveInts("encoder-channels"), kernel,
                r.oneOf("bottleneck", ModelSpec.Bottleneck.class), r.intAtLeast("latent-dim", 1),
                r.oneOf("decoder", ModelSpec.Decoder.class), r.oneOf("loss", ModelSpec.Loss.class));
    }
}
