package io.sparkcae.core.model.layers;

import org.deeplearning4j.nn.conf.CacheMode;
import org.deeplearning4j.nn.workspace.ArrayType;
import org.deeplearning4j.nn.workspace.LayerWorkspaceMgr;
import org.nd4j.linalg.api.memory.MemoryWorkspace;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * A copy of a layer's training pre-activation for its backprop, kept where DL4J's ConvolutionLayer keeps its
 * own: in the FF_CACHE workspace, which the network opens for a training step when its cache mode is on.
 */
final class ForwardCopy {
    private ForwardCopy() {
    }

    /** A copy of {@code z} in FF_CACHE, or null when this pass keeps none (inference, cache off, no workspace). */
    static INDArray keep(INDArray z, boolean training, CacheMode cacheMode, LayerWorkspaceMgr workspaceMgr) {
        if (!training || cacheMode == null || cacheMode == CacheMode.NONE
                || !workspaceMgr.hasConfiguration(ArrayType.FF_CACHE)
                || !workspaceMgr.isWorkspaceOpen(ArrayType.FF_CACHE)) {
            return null;
        }
        // the activation that follows may overwrite z in place, so the copy is taken before it returns
        try (MemoryWorkspace borrowed = workspaceMgr.notifyScopeBorrowed(ArrayType.FF_CACHE)) {
            return z.unsafeDuplication();
        }
    }
}
