package io.sparkcae.jobs.common;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.sparkcae.core.error.ExitCode;
import io.sparkcae.core.error.SparkCaeException;
import io.sparkcae.core.model.CaeModel;
import io.sparkcae.core.model.CaeNetworkBuilder;
import io.sparkcae.core.model.ModelSpec;
import io.sparkcae.core.security.SerialFilter;
import io.sparkcae.core.tensor.PatchShape;
import io.sparkcae.jobs.testing.UntrustedZip;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.deeplearning4j.util.ModelSerializer;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.dataset.DataSet;
import org.nd4j.linalg.factory.Nd4j;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.InvalidClassException;
import java.io.ObjectInputStream;
import java.nio.charset.StandardCharsets;
import java.util.Iterator;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Model zips load without Java deserialization; zips carrying anything sparkcae did not write are refused. */
@Timeout(120)
class ModelZipReaderTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String SOURCE = "/models/m1/model.zip";
    private static ComputationGraph trained;
    private static byte[] zip;

    @BeforeAll
    static void model() throws Exception {
        ModelSpec spec = new ModelSpec(new int[]{4, 4}, 3, ModelSpec.Bottleneck.VECTOR, 4, ModelSpec.Decoder.UPSAMPLE,
                ModelSpec.Loss.MSE);
        PatchShape shape = PatchShape.of(1, 16, 16);
        CaeModel m = new CaeNetworkBuilder(spec, shape).build(1e-3, 2);
        INDArray x = Nd4j.rand(shape.batchShape(3));
        m.network().fit(new DataSet(x, x)); // non-zero Adam moments in the updater state
        trained = m.network();
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        ModelSerializer.writeModel(trained, bytes, true);
        zip = bytes.toByteArray();
    }

    @Test
    void aZipWrittenByModelSerializerLoadsBackWithItsParametersAndUpdaterState() throws Exception {
        ComputationGraph back = ModelZipReader.read(zip, SOURCE, true);
        assertEquals(trained.params(), back.params());
        INDArray state = trained.getUpdater().getStateViewArray();
        assertTrue(state.sumNumber().doubleValue() != 0, "the fixture has a real updater state");
        assertEquals(state, back.getUpdater().getStateViewArray());
        assertEquals(trained.getConfiguration(), back.getConfiguration());
        ComputationGraph withoutUpdater = ModelZipReader.read(zip, SOURCE, false);
        assertEquals(trained.params(), withoutUpdater.params());
    }

    @Test
    void aPreprocessorEntryIsRefusedWithUsageNamingTheFileAndTheEntry() throws Exception {
        byte[] crafted = UntrustedZip.withEntry(zip, "preprocessor.bin", UntrustedZip.gadget());
        SparkCaeException e = assertThrows(SparkCaeException.class, () -> ModelZipReader.read(crafted, SOURCE, true));
        assertEquals(ExitCode.USAGE, e.exitCode(), e.getMessage());
        assertTrue(e.getMessage().startsWith(SOURCE + ": "), e.getMessage());
        assertTrue(e.getMessage().contains("'preprocessor.bin'"), e.getMessage());
    }

    @Test
    void anyOtherEntryIsRefusedToo() throws Exception {
        for (String name : new String[]{"normalizer.bin", "objects/extra", "../configuration.json"}) {
            byte[] crafted = UntrustedZip.withEntry(zip, name, "x".getBytes(StandardCharsets.UTF_8));
            SparkCaeException e = assertThrows(SparkCaeException.class,
                    () -> ModelZipReader.read(crafted, SOURCE, true), name);
            assertEquals(ExitCode.USAGE, e.exitCode(), e.getMessage());
            assertTrue(e.getMessage().contains("'" + name + "'"), e.getMessage());
        }
    }

    @Test
    void aSerializedObjectUnderTheNameOfAWrittenEntryIsRefused() throws Exception {
        byte[] gadget = UntrustedZip.gadget();
        byte[] crafted = UntrustedZip.replacing(zip, ModelSerializer.UPDATER_BIN, old -> gadget);
        SparkCaeException e = assertThrows(SparkCaeException.class, () -> ModelZipReader.read(crafted, SOURCE, true));
        assertEquals(ExitCode.USAGE, e.exitCode(), e.getMessage());
        assertTrue(e.getMessage().contains("'updaterState.bin'") && e.getMessage().contains("serialized Java object"),
                e.getMessage());
    }

    @Test
    void aConfigurationNamingAClassOutsideDl4jIsRefusedBeforeJacksonLoadsIt() throws Exception {
        byte[] crafted = UntrustedZip.replacing(zip, ModelSerializer.CONFIGURATION_JSON, json -> {
            try {
                JsonNode root = JSON.readTree(json);
                ObjectNode typed = firstTyped(root);
                assertNotNull(typed, "DL4J's configuration JSON names its classes in @class");
                typed.put("@class", "untrusted.MarkerGadget");
                return JSON.writeValueAsBytes(root);
            } catch (java.io.IOException e) {
                throw new java.io.UncheckedIOException(e);
            }
        });
        SparkCaeException e = assertThrows(SparkCaeException.class, () -> ModelZipReader.read(crafted, SOURCE, true));
        assertEquals(ExitCode.USAGE, e.exitCode(), e.getMessage());
        assertTrue(e.getMessage().contains("untrusted.MarkerGadget"), e.getMessage());
    }

    @Test
    void aTruncatedZipIsBadDataNotACrash() {
        byte[] cut = java.util.Arrays.copyOf(zip, zip.length / 3);
        SparkCaeException e = assertThrows(SparkCaeException.class, () -> ModelZipReader.read(cut, SOURCE, true));
        assertEquals(ExitCode.BAD_DATA, e.exitCode(), e.getMessage());
    }

    @Test
    void theJvmWideFilterOfTheTestJvmIsConfJvmPropertiesAndRejectsTheGadget() throws Exception {
        // Surefire starts this JVM with conf/jvm.properties, like every launcher does
        assertEquals(SerialFilter.pattern(), System.getProperty("jdk.serialFilter"));
        byte[] gadget = UntrustedZip.gadget();
        try (ObjectInputStream in = new ObjectInputStream(new ByteArrayInputStream(gadget))) {
            InvalidClassException e = assertThrows(InvalidClassException.class, in::readObject);
            assertTrue(e.getMessage().contains("REJECTED"), e.getMessage());
        }
    }

    private static ObjectNode firstTyped(JsonNode node) {
        if (node.isObject() && node.has("@class")) {
            return (ObjectNode) node;
        }
        for (Iterator<JsonNode> it = node.elements(); it.hasNext(); ) {
            ObjectNode found = firstTyped(it.next());
            if (found != null) {
                return found;
            }
        }
        return null;
    }
}
