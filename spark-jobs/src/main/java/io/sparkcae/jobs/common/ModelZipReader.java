package io.sparkcae.jobs.common;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.sparkcae.core.error.SparkCaeException;
import org.deeplearning4j.nn.conf.ComputationGraphConfiguration;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.deeplearning4j.util.ModelSerializer;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.zip.ZipEntry;
import java.util.zip.ZipInputStream;

/**
 * Reads every model and checkpoint zip sparkcae loads, without Java deserialization. DL4J's
 * {@code ModelSerializer.restoreComputationGraph} runs an unfiltered {@code ObjectInputStream.readObject} on a
 * {@code preprocessor.bin} entry, so a crafted {@code --model} zip or a checkpoint on shared storage could
 * make sparkcae instantiate arbitrary classes. This reader instead:
 * <ol>
 *   <li>refuses (exit 2, naming the file and the entry) any zip holding an entry sparkcae does not write,
 *       or an entry that carries a serialized Java object, before decoding anything;</li>
 *   <li>refuses a configuration naming a class outside DL4J, ND4J and sparkcae in its {@code @class} type
 *       ids, before Jackson loads that class;</li>
 *   <li>rebuilds the graph from the configuration JSON, the coefficients and the updater state, which ND4J
 *       reads from its own binary array format, the way ModelSerializer does minus the serialized entries.</li>
 * </ol>
 * Writing stays with ModelSerializer, whose output holds exactly the entries accepted here.
 */
public final class ModelZipReader {
    /** What {@code ModelSerializer.writeModel} writes for a graph without a normalizer. */
    private static final Set<String> WRITTEN = Set.of(ModelSerializer.CONFIGURATION_JSON,
            ModelSerializer.COEFFICIENTS_BIN, ModelSerializer.UPDATER_BIN, ModelSerializer.NO_PARAMS_MARKER);
    /** Packages a DL4J configuration may name as Jackson type ids ("@class"). */
    private static final List<String> CONFIG_PACKAGES = List.of("org.deeplearning4j.", "org.nd4j.", "io.sparkcae.");
    private static final String TYPE_ID = "@class";
    /** The stream header of Java serialization (ObjectOutputStream's STREAM_MAGIC). */
    private static final int JAVA_SERIAL_MAGIC_0 = 0xAC;
    private static final int JAVA_SERIAL_MAGIC_1 = 0xED;
    private static final ObjectMapper JSON = new ObjectMapper();

    private ModelZipReader() {
    }

    /**
     * @param source      what to name in errors (the file's path)
     * @param withUpdater whether to restore the updater state (to continue training) as well
     */
    public static ComputationGraph read(InputStream zip, String source, boolean withUpdater) throws IOException {
        return read(zip.readAllBytes(), source, withUpdater);
    }

    public static ComputationGraph read(byte[] zip, String source, boolean withUpdater) {
        Map<String, byte[]> entries = entries(zip, source);
        byte[] config = entries.get(ModelSerializer.CONFIGURATION_JSON);
        byte[] coefficients = entries.get(ModelSerializer.COEFFICIENTS_BIN);
        if (config == null || coefficients == null || coefficients.length == 0) {
            throw SparkCaeException.badData(source + ": not a sparkcae model zip (needs "
                    + ModelSerializer.CONFIGURATION_JSON + " and " + ModelSerializer.COEFFICIENTS_BIN + ")");
        }
        String json = new String(config, StandardCharsets.UTF_8);
        checkTypeIds(json, source);
        ComputationGraphConfiguration conf;
        try {
            conf = ComputationGraphConfiguration.fromJson(json);
        } catch (RuntimeException e) {
            throw SparkCaeException.badData(source + ": " + ModelSerializer.CONFIGURATION_JSON
                    + " is not a network configuration: " + e.getMessage(), e);
        }
        if (conf.getNetworkInputs() == null || conf.getVertices() == null || conf.getVertices().isEmpty()) {
            throw SparkCaeException.badData(source + ": " + ModelSerializer.CONFIGURATION_JSON
                    + " is not a computation graph configuration");
        }
        INDArray params = array(coefficients, source, ModelSerializer.COEFFICIENTS_BIN);
        conf.setDataType(params.dataType());
        ComputationGraph net = new ComputationGraph(conf);
        net.init(params, false);
        byte[] updater = entries.get(ModelSerializer.UPDATER_BIN);
        if (withUpdater && updater != null) {
            net.getUpdater().setStateViewArray(array(updater, source, ModelSerializer.UPDATER_BIN));
        }
        return net;
    }

    /** All entries, after checking each name and header; nothing is decoded before every entry passed. */
    private static Map<String, byte[]> entries(byte[] zip, String source) {
        Map<String, byte[]> out = new LinkedHashMap<>();
        try (ZipInputStream in = new ZipInputStream(new ByteArrayInputStream(zip))) {
            for (ZipEntry e = in.getNextEntry(); e != null; e = in.getNextEntry()) {
                String name = e.getName();
                if (!WRITTEN.contains(name)) {
                    throw refused(source, name, "sparkcae writes only " + String.join(", ", sorted()));
                }
                if (out.containsKey(name)) {
                    throw refused(source, name, "the entry occurs twice");
                }
                ByteArrayOutputStream bytes = new ByteArrayOutputStream();
                in.transferTo(bytes);
                byte[] b = bytes.toByteArray();
                if (b.length >= 2 && (b[0] & 0xFF) == JAVA_SERIAL_MAGIC_0 && (b[1] & 0xFF) == JAVA_SERIAL_MAGIC_1) {
                    throw refused(source, name, "it holds a serialized Java object");
                }
                out.put(name, b);
            }
        } catch (IOException e) {
            throw SparkCaeException.badData(source + ": not a readable zip file: " + e.getMessage(), e);
        }
        if (out.isEmpty()) {
            throw SparkCaeException.badData(source + ": not a zip file, or an empty one");
        }
        return out;
    }

    /** DL4J's JSON names layer, activation, loss and updater classes; Jackson loads whatever is named. */
    private static void checkTypeIds(String json, String source) {
        JsonNode root;
        try {
            root = JSON.readTree(json);
        } catch (IOException e) {
            throw SparkCaeException.badData(source + ": " + ModelSerializer.CONFIGURATION_JSON + " is not JSON: "
                    + e.getMessage(), e);
        }
        checkTypeIds(root, source);
    }

    private static void checkTypeIds(JsonNode node, String source) {
        if (node.isObject()) {
            JsonNode type = node.get(TYPE_ID);
            if (type != null && (!type.isTextual() || CONFIG_PACKAGES.stream().noneMatch(type.asText()::startsWith))) {
                throw refused(source, ModelSerializer.CONFIGURATION_JSON, "it names class '" + type.asText()
                        + "', outside " + String.join(", ", CONFIG_PACKAGES));
            }
            for (Iterator<JsonNode> it = node.elements(); it.hasNext(); ) {
                checkTypeIds(it.next(), source);
            }
        } else if (node.isArray()) {
            for (JsonNode child : node) {
                checkTypeIds(child, source);
            }
        }
    }

    private static INDArray array(byte[] bytes, String source, String entry) {
        try (DataInputStream in = new DataInputStream(new ByteArrayInputStream(bytes))) {
            return Nd4j.read(in);
        } catch (IOException | RuntimeException e) {
            throw SparkCaeException.badData(source + ": entry " + entry + " is not an ND4J array: " + e.getMessage(), e);
        }
    }

    private static SparkCaeException refused(String source, String entry, String why) {
        return SparkCaeException.usage(source + ": refusing to load entry '" + entry + "': " + why
                + " (a model or checkpoint zip from another tool, or altered, is not loaded)");
    }

    private static List<String> sorted() {
        return WRITTEN.stream().sorted().toList();
    }
}
