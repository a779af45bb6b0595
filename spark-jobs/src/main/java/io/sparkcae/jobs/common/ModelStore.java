package io.sparkcae.jobs.common;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import io.sparkcae.core.error.ExitCode;
import io.sparkcae.core.error.SparkCaeException;
import io.sparkcae.core.model.CaeModel;
import io.sparkcae.core.tensor.PatchShape;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FSDataOutputStream;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.deeplearning4j.util.ModelSerializer;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;

/** Saves and loads a model directory: {@code model.zip} (DL4J, with updater state) + {@code model.json}. */
public final class ModelStore {
    public static final String MODEL_ZIP = "model.zip";
    public static final String MODEL_JSON = "model.json";
    private static final ObjectMapper MAPPER = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);

    private ModelStore() {
    }

    /** A loaded model and its metadata. */
    public record Loaded(CaeModel model, ModelMetadata metadata, byte[] zipBytes) {
    }

    public static void save(ComputationGraph net, ModelMetadata meta, String dir, Configuration hadoop) {
        try {
            Path zip = new Path(dir, MODEL_ZIP);
            FileSystem fs = zip.getFileSystem(hadoop);
            try (FSDataOutputStream out = fs.create(zip, true)) {
                ModelSerializer.writeModel(net, out, true);
            }
            try (FSDataOutputStream out = fs.create(new Path(dir, MODEL_JSON), true)) {
                MAPPER.writeValue((java.io.OutputStream) out, meta);
            }
        } catch (IOException e) {
            throw new SparkCaeException(ExitCode.INFRASTRUCTURE, dir + ": cannot save model: " + e.getMessage(), e);
        }
    }

    public static byte[] toBytes(ComputationGraph net) {
        try {
            ByteArrayOutputStream bos = new ByteArrayOutputStream();
            ModelSerializer.writeModel(net, bos, false);
            return bos.toByteArray();
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }

    public static ComputationGraph fromBytes(byte[] zip) {
        return ModelZipReader.read(zip, "model bytes", false);
    }

    /**
     * Loads the model in {@code dirOrStage}: a model directory, or a {@code train} stage directory whose
     * committed output is one.
     */
    public static Loaded load(String dirOrStage, Configuration hadoop) {
        CommittedStage committed = CommittedStage.read(dirOrStage, hadoop);
        String dir = committed == null ? dirOrStage : committed.dir().toString();
        Path zip = new Path(dir, MODEL_ZIP);
        Path json = new Path(dir, MODEL_JSON);
        try {
            FileSystem fs = zip.getFileSystem(hadoop);
            if (!fs.exists(zip) || !fs.exists(json)) {
                throw SparkCaeException.usage(dir + ": not a model directory (needs " + MODEL_ZIP + " and "
                        + MODEL_JSON + "); run 'sparkcae train' first");
            }
            ModelMetadata meta;
            try (InputStream in = fs.open(json)) {
                meta = MAPPER.readValue(in, ModelMetadata.class);
            }
            if (meta.formatVersion() < ModelMetadata.FORMAT_VERSION) {
                throw SparkCaeException.usage(dir + ": model format " + meta.formatVersion() + " was written by an"
                        + " older sparkcae (a layer stack, not a graph); this version reads format "
                        + ModelMetadata.FORMAT_VERSION + ": retrain it with 'sparkcae train'");
            }
            byte[] bytes;
            try (InputStream in = fs.open(zip)) {
                bytes = in.readAllBytes();
            }
            ComputationGraph net = ModelZipReader.read(bytes, zip.toString(), true);
            CaeModel model = new CaeModel(net, PatchShape.of(meta.inputShape()), meta.latentVertex());
            return new Loaded(model, meta, bytes);
        } catch (IOException e) {
            throw SparkCaeException.badData(dir + ": unreadable model: " + e.getMessage(), e);
        }
    }
}
