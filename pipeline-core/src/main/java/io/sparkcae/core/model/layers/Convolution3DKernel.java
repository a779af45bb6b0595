package io.sparkcae.core.model.layers;

import java.util.Locale;

/**
 * Chooses who runs a 3D convolution with one input or one output channel: {@link SingleChannelConvolution3D}
 * (GEMMs over the kernel's taps) or ND4J's conv3dnew (oneDNN on the CPU backend, cuDNN on CUDA).
 *
 * <p>By default the tap GEMMs run where oneDNN dispatches below AVX-512 ({@link PoolingKernel#oneDnnBelowAvx512}):
 * held to AVX2, a 3D training step at batch 8 took 54.2 ms with them against 58.8 ms with oneDNN (bench profile,
 * medians of 3 alternating pairs); with AVX-512, 45.9 against 42.1 ms. System property {@value #PROPERTY} =
 * {@code auto} (the default) | {@code onednn} (ND4J's op everywhere) | {@code tap-gemm} forces a choice, for
 * comparing them. Other backends (CUDA) always keep ND4J's op under {@code auto}.
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
                return PoolingKernel.cpuBackend() && PoolingKernel.oneDnnBelowAvx512();
            default:
                throw new IllegalArgumentException("-D" + PROPERTY + "=" + forced + ": expected auto, onednn or tap-gemm");
        }
    }
}
