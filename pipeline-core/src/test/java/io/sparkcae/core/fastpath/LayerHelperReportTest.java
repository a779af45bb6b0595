package io.sparkcae.core.fastpath;

import io.sparkcae.core.model.CaeModel;
import io.sparkcae.core.model.CaeNetworkBuilder;
import io.sparkcae.core.model.ModelSpec;
import io.sparkcae.core.model.layers.PoolingKernel;
import io.sparkcae.core.tensor.PatchShape;
import org.junit.jupiter.api.Test;

import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The guard for the CPU fast path: if a dependency or flag change drops the oneDNN helpers, DL4J silently
 * trains 15-25x slower. This fails instead.
 */
class LayerHelperReportTest {

    static ModelSpec defaultSpec() {
        return new ModelSpec(new int[]{32, 16}, 3, ModelSpec.Bottleneck.VECTOR, 32, ModelSpec.Decoder.UPSAMPLE,
                ModelSpec.Loss.MSE);
    }

    @Test
    void everyConvAndPoolLayerOfTheDefault2dNetRunsOnOneDnn() {
        CaeModel model = new CaeNetworkBuilder(defaultSpec(), PatchShape.of(1, 28, 28)).build(1e-3, 1);
        List<LayerHelperReport.Entry> report = LayerHelperReport.of(model.network());
        long guarded = report.stream().filter(LayerHelperReport.Entry::needsHelper).count();
        // 2 encoder convs + 2 pools + 2 decoder convs + output conv
        assertEquals(7, guarded, report.toString());
        assertTrue(LayerHelperReport.missingHelpers(model.network()).isEmpty(),
                "layers without a oneDNN helper: " + report);
        // pooling runs libnd4j's own kernel where oneDNN has no fast one for its layout (CPUs without AVX-512)
        report.stream().filter(LayerHelperReport.Entry::needsHelper)
                .forEach(e -> assertTrue(e.helper().startsWith("MKLDNN") || PoolingKernel.libNd4j()
                        && e.layerType().startsWith("MaxPooling") && e.helper().equals(LayerHelperReport.LIBND4J_POOLING),
                        e.toString()));
    }
}
