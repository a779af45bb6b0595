package io.sparkcae.core.config;

import java.io.Serializable;

/** Inference settings ({@code sparkcae.encode.*}). */
public record EncodeConf(int batchSize, boolean corruptInput) implements Serializable {
    static EncodeConf read(ConfReader r) {
        return new EncodeConf(r.intAtLeast("batch-size", 1), r.bool("corrupt-input"));
    }
}
