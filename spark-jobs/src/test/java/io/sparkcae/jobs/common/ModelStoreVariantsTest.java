package io.sparkcae.jobs.common;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.sparkcae.core.config.DataConf;
import io.sparkcae.core.error.ExitCode;
import io.sparkcae.core.error.SparkCaeException;
import io.sparkcae.core.model.CaeModel;
import io.sparkcae.core.model.CaeNetworkBuilder;
import io.sparkcae.core.model.ModelSpec;
import io.sparkcae.core.tensor.PatchShape;
import org.apache.hadoop.conf.Configuration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.dataset.DataSet;
import org.nd4j.linalg.factory.Nd4j;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** A model dir of every variant loads back as the same model; a model dir of the old format is refused. */
@Timeout(120)
class ModelStoreVariantsTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    @TempDir
    Path tmp;

    private static ModelMetadata meta(ModelSpec spec, PatchShape shape) {
        return new ModelMetadata(ModelMetadata.FORMAT_VERSION, spec, shape.dims(), CaeNetworkBuilder.LATENT, 4,
                List.of(), DataConf.Normalization.values()[0], new float[]{0}, new float[]{1}, new float[]{0},
                new float[]{1}, 1, 0.1, null, "test", "test", JSON.createObjectNode());
    }

    @Test
    void everyVariantRoundTripsThroughTheModelDirAndTheBroadcastBytes() {
        ModelSpec plain = new ModelSpec(new int[]{4, 4}, 3, ModelSpec.Bottleneck.VECTOR, 4, ModelSpec.Decoder.UPSAMPLE,
                ModelSpec.Loss.MSE);
        PatchShape shape = PatchShape.of(1, 16, 16);
        for (ModelSpec spec : List.of(plain.withSkipConnections(true), plain.withLatentL1(0.5),
                plain.withVariational(true, 2))) {
            CaeModel m = new CaeNetworkBuilder(spec, shape).build(1e-3, 2);
            INDArray x = Nd4j.rand(shape.batchShape(3));
            m.network().fit(new DataSet(x, x));
            Path dir = tmp.resolve(spec.variantName());
            ModelStore.save(m.network(), meta(spec, shape), dir.toString(), new Configuration());
            ModelStore.Loaded back = ModelStore.load(dir.toString(), new Configuration());
            assertEquals(spec, back.metadata().spec(), "model.json carries the variant");
            assertTrue(back.model().reconstruct(x).equalsWithEps(m.reconstruct(x), 1e-6), spec.variantName());
            assertTrue(back.model().encode(x).equalsWithEps(m.encode(x), 1e-6), spec.variantName());
            assertEquals(spec.variational(), back.model().variational());
            CaeModel viaBytes = m.withNetwork(ModelStore.fromBytes(ModelStore.toBytes(m.network())));
            assertTrue(viaBytes.encode(x).equalsWithEps(m.encode(x), 1e-6), spec.variantName() + " broadcast bytes");
        }
    }

    @Test
    void aModelDirOfTheLayerStackFormatIsRefusedWithARetrainHint() throws Exception {
        ModelSpec spec = new ModelSpec(new int[]{4}, 3, ModelSpec.Bottleneck.VECTOR, 4, ModelSpec.Decoder.UPSAMPLE,
                ModelSpec.Loss.MSE);
        PatchShape shape = PatchShape.of(1, 8, 8);
        Path dir = tmp.resolve("old");
        ModelStore.save(new CaeNetworkBuilder(spec, shape).build(1e-3, 1).network(), meta(spec, shape), dir.toString(),
                new Configuration());
        ObjectNode json = (ObjectNode) JSON.readTree(dir.resolve(ModelStore.MODEL_JSON).toFile());
        json.put("formatVersion", 1);
        Files.writeString(dir.resolve(ModelStore.MODEL_JSON), json.toString());
        Files.deleteIfExists(dir.resolve("." + ModelStore.MODEL_JSON + ".crc")); // Hadoop's local checksum
        SparkCaeException e = assertThrows(SparkCaeException.class,
                () -> ModelStore.load(dir.toString(), new Configuration()));
        assertEquals(ExitCode.USAGE, e.exitCode(), e.getMessage());
        assertTrue(e.getMessage().contains("retrain"), e.getMessage());
    }
}
