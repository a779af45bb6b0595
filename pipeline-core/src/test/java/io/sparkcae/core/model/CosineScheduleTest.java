package io.sparkcae.core.model;

import io.sparkcae.core.tensor.PatchShape;
import org.deeplearning4j.nn.conf.ComputationGraphConfiguration;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.deeplearning4j.nn.conf.layers.BaseLayer;
import org.deeplearning4j.nn.graph.vertex.GraphVertex;
import org.deeplearning4j.util.ModelSerializer;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.dataset.DataSet;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.learning.config.Adam;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class CosineScheduleTest {
    @Test
    void warmsUpLinearlyThenFallsAlongAHalfCosineToTheFloor() {
        CosineSchedule s = new CosineSchedule(0.004, 10, 110, 0.01);
        assertEquals(0.0004, s.valueAt(0, 0), 1e-12);
        assertEquals(0.004, s.valueAt(9, 0), 1e-12);
        assertEquals(0.004, s.valueAt(10, 0), 1e-12);
        assertEquals(0.004 * (0.01 + 0.99 * 0.5), s.valueAt(60, 1), 1e-12); // half way down the decay
        assertEquals(0.00004, s.valueAt(110, 2), 1e-12);
        assertEquals(0.00004, s.valueAt(5000, 9), 1e-12); // held at the floor past the end
        for (int i = 11; i <= 110; i++) {
            assertTrue(s.valueAt(i, 0) < s.valueAt(i - 1, 0), "decreasing after the warm-up at " + i);
        }
    }

    @Test
    void rejectsAScheduleThatCannotRun() {
        assertThrows(IllegalArgumentException.class, () -> new CosineSchedule(0, 0, 10, 0));
        assertThrows(IllegalArgumentException.class, () -> new CosineSchedule(1e-3, 0, 0, 0));
        assertThrows(IllegalArgumentException.class, () -> new CosineSchedule(1e-3, 0, 10, 1.5));
    }

    @Test
    void travelsWithTheModelThroughItsJsonAndASavedFile() throws Exception {
        ModelSpec spec = new ModelSpec(new int[]{4}, 3, ModelSpec.Bottleneck.VECTOR, 4, ModelSpec.Decoder.UPSAMPLE,
                ModelSpec.Loss.MSE);
        ComputationGraph net = new CaeNetworkBuilder(spec, PatchShape.of(1, 8, 8)).build(1e-3, 3).network();
        CosineSchedule schedule = new CosineSchedule(0.003, 5, 100, 0.01);
        net.setLearningRate(schedule);
        var x = Nd4j.rand(new long[]{4, 1, 8, 8});
        net.fit(new DataSet(x, x));

        ComputationGraphConfiguration back = ComputationGraphConfiguration.fromJson(net.getConfiguration().toJson());
        assertEquals(schedule, adamOf(back.getVertices().values().stream()
                .filter(v -> v instanceof org.deeplearning4j.nn.conf.graph.LayerVertex lv
                        && lv.getLayerConf().getLayer() instanceof BaseLayer)
                .map(v -> ((org.deeplearning4j.nn.conf.graph.LayerVertex) v).getLayerConf().getLayer())
                .findFirst().orElseThrow()).getLearningRateSchedule());

        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        ModelSerializer.writeModel(net, bytes, true);
        ComputationGraph restored = ModelSerializer.restoreComputationGraph(new ByteArrayInputStream(bytes.toByteArray()), true);
        assertEquals(net.getConfiguration().getIterationCount(), restored.getConfiguration().getIterationCount());
        for (GraphVertex v : restored.getVertices()) {
            if (v.hasLayer() && v.getLayer().conf().getLayer() instanceof BaseLayer b && b.getIUpdater() instanceof Adam) {
                assertEquals(schedule, ((Adam) b.getIUpdater()).getLearningRateSchedule(), v.getVertexName());
            }
        }
    }

    private static Adam adamOf(org.deeplearning4j.nn.conf.layers.Layer layer) {
        return (Adam) ((BaseLayer) layer).getIUpdater();
    }
}
