package io.sparkcae.jobs.common;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.sparkcae.core.error.SparkCaeException;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FileStatus;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;

import java.io.FileNotFoundException;
import java.io.IOException;
import java.io.InputStream;
import java.util.HashSet;
import java.util.Set;
import java.util.zip.ZipEntry;
import java.util.zip.ZipInputStream;

/**
 * Tells whether a path is a sparkcae model directory before anything is deserialised: a folder with a readable
 * {@code model.json} of a supported format and a {@code model.zip} that is a zip holding a DL4J network
 * (configuration and coefficients). Used by {@code --dry-run} and before loading, so a random file or a zip of
 * something else gets a sentence, not a library exception.
 */
public final class ModelDirCheck {
    /** Entries ModelSerializer writes and needs to restore a network. */
    static final java.util.List<String> REQUIRED_ENTRIES = java.util.List.of("configuration.json", "coefficients.bin");
    private static final ObjectMapper JSON = new ObjectMapper();

    private ModelDirCheck() {
    }

    /** @param dirOrStage a model directory, or a {@code train} stage directory whose committed output is one */
    public static ModelMetadata inspect(String dirOrStage, Configuration hadoop) {
        CommittedStage committed = CommittedStage.read(dirOrStage, hadoop);
        String dir = committed == null ? dirOrStage : committed.dir().toString();
        Path root = new Path(dir);
        try {
            FileSystem fs = root.getFileSystem(hadoop);
            FileStatus status;
            try {
                status = fs.getFileStatus(root);
            } catch (FileNotFoundException e) {
                throw SparkCaeException.usage(dir + ": no such model directory; run 'sparkcae train' first or pass"
                        + " --model DIR");
            }
            if (!status.isDirectory()) {
                throw SparkCaeException.usage(dir + ": is a file, not a model directory (--model takes the folder"
                        + " holding " + ModelStore.MODEL_ZIP + " and " + ModelStore.MODEL_JSON + ")");
            }
            Path json = new Path(root, ModelStore.MODEL_JSON);
            Path zip = new Path(root, ModelStore.MODEL_ZIP);
            if (!fs.exists(zip) || !fs.exists(json)) {
                throw SparkCaeException.usage(dir + ": not a model directory (needs " + ModelStore.MODEL_ZIP + " and "
                        + ModelStore.MODEL_JSON + "); run 'sparkcae train' first");
            }
            ModelMetadata meta;
            try (InputStream in = fs.open(json)) {
                meta = JSON.readValue(in, ModelMetadata.class);
            } catch (IOException e) {
                throw SparkCaeException.badData(json + ": not a sparkcae model description ("
                        + firstLine(e.getMessage()) + ")");
            }
            if (meta == null || meta.inputShape() == null || meta.spec() == null) {
                throw SparkCaeException.badData(json + ": not a sparkcae model description (no spec or input shape)");
            }
            if (meta.formatVersion() > ModelMetadata.FORMAT_VERSION) {
                throw SparkCaeException.usage(dir + ": model format " + meta.formatVersion() + " was written by a newer"
                        + " sparkcae; this version reads format " + ModelMetadata.FORMAT_VERSION);
            }
            requireNetworkZip(fs, zip);
            return meta;
        } catch (IOException e) {
            throw SparkCaeException.badData(dir + ": unreadable model: " + e.getMessage(), e);
        }
    }

    private static void requireNetworkZip(FileSystem fs, Path zip) throws IOException {
        Set<String> found = new HashSet<>();
        try (ZipInputStream in = new ZipInputStream(fs.open(zip))) {
            for (ZipEntry e = in.getNextEntry(); e != null; e = in.getNextEntry()) {
                found.add(e.getName());
            }
        } catch (IOException e) {
            throw SparkCaeException.badData(zip + ": not a model zip (" + firstLine(e.getMessage()) + ")");
        }
        if (found.isEmpty()) {
            throw SparkCaeException.badData(zip + ": not a model zip (no zip entries)");
        }
        for (String need : REQUIRED_ENTRIES) {
            if (!found.contains(need)) {
                throw SparkCaeException.badData(zip + ": not a sparkcae model zip (no " + need + " inside); pass the"
                        + " directory 'sparkcae train' wrote");
            }
        }
    }

    private static String firstLine(String message) {
        if (message == null) {
            return "unreadable";
        }
        int nl = message.indexOf('\n');
        return nl < 0 ? message : message.substring(0, nl);
    }
}
