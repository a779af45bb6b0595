package io.sparkcae.core.model.layers;

import java.util.Locale;

/**
 * Chooses who runs a 3D convolution with one input or one output channel: {@link SingleChannelConvolution3D}
 * (GEMMs over the kernel's taps) or ND4J's conv3dnew (oneDNN on the CPU backend, cuDNN on CUDA).
 *
 * <p>System property {@value #PROPERTY} = {@code auto} (the default: the tap GEMMs on the CPU backend) |
 * {@code onednn} (ND4J's op everywhere) | {@code tap-gemm} forces a choice, for comparing them.
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
