package io.sparkcae.core.model.layers;

import java.util.Locale;

/**
 * Chooses who runs a 3D convolution with one input or one output channel: {@link SingleChannelConvolution3D}
 * (GEMMs over the kernel's taps) or ND4J's conv3dnew (oneDNN on the CPU backend, cuDNN on CUDA).
 *
 * <p>By default the tap GEMMs run on the CPU backend: on a 2-core AMD EPYC (Zen 4, AVX-512) a 3D training
 * step at batch 8 took 45.7 ms with them against 60.3 ms with oneDNN (medians of 3 alternating pairs of 60
 * steps). System property {@value #PROPERTY} = {@code auto} (the default) | {@code onednn} (ND4J's op
 * everywhere) | {@code tap-gemm} forces a choice, for comparing them. Other backends (CUDA) keep ND4J's op
 * under {@code auto}.
 */
public final class Convolution3DKernel {
    public static final String PROPERTY = "sparkcae.conv3d-kernel";

    private Convolution3DKernel() {
    }

    /** True where single-channel 3D convolutions should run as tap GEMMs. */
    public static boolean tapGemm() {
        String forced = System.getProperty(PROPERTY, "auto").trim().toLowerCase(Locale.ROOT);
        switch (forced) {
            case "tap-gemm":
                return true;
            case "onednn":
                return false;
            case "auto":
                return PoolingKernel.cpuBackend();
            default:
                throw new IllegalArgumentException("-D" + PROPERTY + "=" + forced + ": expected auto, onednn or tap-gemm");
        }
    }
}
