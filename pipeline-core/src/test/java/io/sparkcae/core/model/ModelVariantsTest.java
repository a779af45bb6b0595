package io.sparkcae.core.model;

import io.sparkcae.core.error.ExitCode;
import io.sparkcae.core.error.SparkCaeException;
import io.sparkcae.core.model.layers.SparseLatent;
import io.sparkcae.core.model.layers.VariationalLatent;
import io.sparkcae.core.tensor.PatchShape;
import org.apache.commons.lang3.SerializationUtils;
import org.deeplearning4j.nn.conf.ComputationGraphConfiguration;
import org.deeplearning4j.nn.conf.graph.LayerVertex;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.deeplearning4j.util.ModelSerializer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.dataset.DataSet;
import org.nd4j.linalg.factory.Nd4j;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

@Timeout(120)
class ModelVariantsTest {
    private static ModelSpec plain(ModelSpec.Bottleneck b, ModelSpec.Decoder d) {
        return new ModelSpec(new int[]{8, 4}, 3, b, 6, d, ModelSpec.Loss.MSE);
    }

    private static List<ModelSpec> allVariants() {
        ModelSpec v = plain(ModelSpec.Bottleneck.VECTOR, ModelSpec.Decoder.UPSAMPLE);
        ModelSpec s = plain(ModelSpec.Bottleneck.SPATIAL, ModelSpec.Decoder.TRANSPOSED);
        return List.of(v, s, v.withSkipConnections(true), s.withSkipConnections(true), v.withLatentL1(0.01),
                s.withLatentL1(0.01), v.withVariational(true, 0.5), v.withVariational(true, 0.5).withLatentL1(0.01),
                plain(ModelSpec.Bottleneck.VECTOR, ModelSpec.Decoder.TRANSPOSED).withSkipConnections(true));
    }

    @Test
    void everyVariantReconstructsTheInputShapeEncodesAndTrainsIn2dAnd3d() {
        for (ModelSpec spec : allVariants()) {
            for (PatchShape shape : List.of(PatchShape.of(2, 16, 16), PatchShape.of(1, 8, 8, 8))) {
                CaeModel m = new CaeNetworkBuilder(spec, shape).build(1e-3, 5);
                INDArray x = Nd4j.rand(shape.batchShape(3));
                assertArrayEquals(x.shape(), m.reconstruct(x).shape(), spec + " " + shape);
                long latent = spec.bottleneck() == ModelSpec.Bottleneck.VECTOR ? 6
                        : 4L * shape.elementCount() / shape.channels() / (long) Math.pow(4, shape.spatialRank());
                assertArrayEquals(new long[]{3, latent}, m.encode(x).shape(), spec + " " + shape);
                ModelForward f = m.forward(x);
                assertTrue(f.latent().equalsWithEps(m.encode(x), 1e-5), spec + " latent");
                assertTrue(f.reconstruction().equalsWithEps(m.reconstruct(x), 1e-5), spec + " reconstruction");
                m.network().fit(new DataSet(x, x));
                assertTrue(Double.isFinite(m.network().score()), spec + " " + shape);
            }
        }
    }

    @Test
    void skipConnectionsConcatenateTheEncoderOutputOfTheSameResolution() {
        CaeModel m = new CaeNetworkBuilder(plain(ModelSpec.Bottleneck.VECTOR, ModelSpec.Decoder.UPSAMPLE)
                .withSkipConnections(true), PatchShape.of(1, 16, 16)).build(1e-3, 1);
        ComputationGraphConfiguration conf = m.network().getConfiguration();
        assertEquals(List.of("dec0_up", "enc0_conv"), conf.getVertexInputs().get("dec0_merge"));
        assertEquals(List.of("dec1_up", "enc1_conv"), conf.getVertexInputs().get("dec1_merge"));
        // the decoder conv after the merge sees decoder + encoder channels (4 + 8 at full resolution)
        long nIn = ((org.deeplearning4j.nn.conf.layers.ConvolutionLayer)
                ((LayerVertex) conf.getVertices().get("dec0_conv")).getLayerConf().getLayer()).getNIn();
        assertEquals(12, nIn);
    }

    @Test
    void sparseLatentAddsLambdaTimesMeanL1OfTheCodeToTheScore() {
        ModelSpec base = plain(ModelSpec.Bottleneck.VECTOR, ModelSpec.Decoder.UPSAMPLE);
        double lambda = 0.05;
        ComputationGraph plain = new CaeNetworkBuilder(base, PatchShape.of(1, 16, 16)).build(1e-3, 3).network();
        CaeModel sparse = new CaeNetworkBuilder(base.withLatentL1(lambda), PatchShape.of(1, 16, 16)).build(1e-3, 3);
        assertEquals(plain.numParams(), sparse.network().numParams(), "the penalty layer has no parameters");
        sparse.network().setParams(plain.params());
        INDArray x = Nd4j.rand(new long[]{4, 1, 16, 16});
        DataSet ds = new DataSet(x, x);
        plain.fit(ds);
        sparse.network().setParams(plain.params().dup());
        plain.computeGradientAndScore();
        double expected = lambda * sparse.encode(x).norm1Number().doubleValue() / 4;
        sparse.network().setInputs(x);
        sparse.network().setLabels(x);
        sparse.network().computeGradientAndScore();
        assertTrue(expected > 0);
        assertEquals(plain.score() + expected, sparse.network().score(), 1e-4 * (1 + expected));
    }

    @Test
    void variationalEncodesToTheMeanAndSamplesOnlyWhileTraining() {
        CaeModel m = new CaeNetworkBuilder(plain(ModelSpec.Bottleneck.VECTOR, ModelSpec.Decoder.UPSAMPLE)
                .withVariational(true, 1.0), PatchShape.of(1, 16, 16)).build(1e-3, 3);
        assertTrue(m.variational());
        INDArray x = Nd4j.rand(new long[]{5, 1, 16, 16});
        INDArray dist = m.latentDistribution(x);
        assertArrayEquals(new long[]{5, 12}, dist.shape());
        assertTrue(VariationalLatent.mean(dist).equalsWithEps(m.encode(x), 1e-5), "encode = mu");
        assertTrue(m.encode(x).equalsWithEps(m.encode(x), 0), "encode is deterministic");
        INDArray trainA = m.network().feedForward(new INDArray[]{x}, true, false).get(CaeNetworkBuilder.LATENT);
        INDArray trainB = m.network().feedForward(new INDArray[]{x}, true, false).get(CaeNetworkBuilder.LATENT);
        assertFalse(trainA.equalsWithEps(trainB, 1e-6), "training draws a new sample each pass");
        INDArray kl = VariationalLatent.klPerExample(dist);
        assertEquals(5, kl.length());
        assertTrue(kl.minNumber().doubleValue() >= 0);
        assertEquals(0.0, VariationalLatent.klPerExample(Nd4j.zeros(2, 12)).sumNumber().doubleValue(), 1e-9,
                "KL(N(0,1) || N(0,1)) = 0");
    }

    @Test
    void klWarmupSetOnTheGraphReachesConfigurationAndLayers() {
        CaeModel m = new CaeNetworkBuilder(plain(ModelSpec.Bottleneck.VECTOR, ModelSpec.Decoder.UPSAMPLE)
                .withVariational(true, 0.5), PatchShape.of(1, 16, 16)).build(1e-3, 3);
        assertEquals(0.25, CaeModel.setKlWarmup(m.network(), 0.5));
        VariationalLatent conf = (VariationalLatent) ((LayerVertex) m.network().getConfiguration().getVertices()
                .get(CaeNetworkBuilder.LATENT)).getLayerConf().getLayer();
        assertEquals(0.25, conf.effectiveBeta());
        assertEquals(0.25, ((VariationalLatent) m.network().getLayer(CaeNetworkBuilder.LATENT).conf().getLayer())
                .effectiveBeta());
        // what Spark ships: the configuration, serialised
        ComputationGraphConfiguration shipped = SerializationUtils.clone(m.network().getConfiguration());
        assertEquals(0.25, ((VariationalLatent) ((LayerVertex) shipped.getVertices().get(CaeNetworkBuilder.LATENT))
                .getLayerConf().getLayer()).effectiveBeta());
    }

    @Test
    void everyVariantSurvivesModelSerializerAndJavaSerialisation() throws Exception {
        for (ModelSpec spec : allVariants()) {
            CaeModel m = new CaeNetworkBuilder(spec, PatchShape.of(1, 16, 16)).build(1e-3, 9);
            INDArray x = Nd4j.rand(new long[]{3, 1, 16, 16});
            m.network().fit(new DataSet(x, x));
            ByteArrayOutputStream bos = new ByteArrayOutputStream();
            ModelSerializer.writeModel(m.network(), bos, true);
            ComputationGraph back = ModelSerializer.restoreComputationGraph(new ByteArrayInputStream(bos.toByteArray()), true);
            CaeModel restored = m.withNetwork(back);
            assertTrue(restored.reconstruct(x).equalsWithEps(m.reconstruct(x), 1e-6), spec + " output");
            assertTrue(restored.encode(x).equalsWithEps(m.encode(x), 1e-6), spec + " latent");
            assertEquals(m.network().getConfiguration(), back.getConfiguration(), spec + " configuration");
            ComputationGraphConfiguration viaJava = SerializationUtils.clone(m.network().getConfiguration());
            assertEquals(m.network().getConfiguration(), viaJava, spec + " java serialisation");
            back.fit(new DataSet(x, x));
            assertTrue(Double.isFinite(back.score()), spec + " trains after restore");
        }
        ComputationGraph sparse = new CaeNetworkBuilder(allVariants().get(4), PatchShape.of(1, 16, 16)).build(1e-3, 1)
                .network();
        ComputationGraphConfiguration json = ComputationGraphConfiguration.fromJson(sparse.getConfiguration().toJson());
        SparseLatent l = (SparseLatent) ((LayerVertex) json.getVertices().get(CaeNetworkBuilder.LATENT)).getLayerConf()
                .getLayer();
        assertEquals(0.01, l.getLambda());
    }

    @Test
    void standAloneDecoderOfAVectorNetMatchesTheFullGraph() {
        ModelSpec spec = plain(ModelSpec.Bottleneck.VECTOR, ModelSpec.Decoder.UPSAMPLE).withVariational(true, 1);
        CaeNetworkBuilder b = new CaeNetworkBuilder(spec, PatchShape.of(1, 16, 16));
        CaeModel m = b.build(1e-3, 4);
        INDArray x = Nd4j.rand(new long[]{3, 1, 16, 16});
        ComputationGraph dec = b.buildDecoder(m.network());
        assertTrue(dec.outputSingle(false, m.encode(x)).equalsWithEps(m.reconstruct(x), 1e-5));
    }

    @Test
    void variationalNeedsAVectorBottleneckAndNoSkips() {
        ModelSpec spatial = plain(ModelSpec.Bottleneck.SPATIAL, ModelSpec.Decoder.UPSAMPLE).withVariational(true, 1);
        SparkCaeException e = assertThrows(SparkCaeException.class,
                () -> new CaeNetworkBuilder(spatial, PatchShape.of(1, 16, 16)));
        assertEquals(ExitCode.USAGE, e.exitCode());
        assertTrue(e.getMessage().contains("sparkcae.model.variational"), e.getMessage());
        ModelSpec skips = plain(ModelSpec.Bottleneck.VECTOR, ModelSpec.Decoder.UPSAMPLE).withVariational(true, 1)
                .withSkipConnections(true);
        e = assertThrows(SparkCaeException.class, () -> new CaeNetworkBuilder(skips, PatchShape.of(1, 16, 16)));
        assertTrue(e.getMessage().contains("sparkcae.model.skip-connections"), e.getMessage());
        assertInstanceOf(SparkCaeException.class, e);
    }
}
