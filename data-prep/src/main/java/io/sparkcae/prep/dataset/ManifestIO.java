package io.sparkcae.prep.dataset;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import io.sparkcae.core.error.SparkCaeException;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FSDataOutputStream;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;

import java.io.IOException;
import java.io.InputStream;

/** Reads and writes {@code _manifest.json} through Hadoop's FileSystem (local, HDFS, S3 alike). */
public final class ManifestIO {
    public static final String FILE_NAME = "_manifest.json";
    private static final ObjectMapper MAPPER = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);

    private ManifestIO() {
    }

    public static void write(Manifest manifest, String datasetDir, Configuration hadoop) {
        Path p = new Path(datasetDir, FILE_NAME);
        try (FSDataOutputStream out = p.getFileSystem(hadoop).create(p, true)) {
            MAPPER.writeValue((java.io.OutputStream) out, manifest);
        } catch (IOException e) {
            throw new SparkCaeException(io.sparkcae.core.error.ExitCode.INFRASTRUCTURE,
                    p + ": cannot write manifest: " + e.getMessage(), e);
        }
    }

    public static Manifest read(String datasetDir, Configuration hadoop) {
        Path p = new Path(datasetDir, FILE_NAME);
        try {
            FileSystem fs = p.getFileSystem(hadoop);
            if (!fs.exists(p)) {
                throw SparkCaeException.usage(datasetDir + ": not a patch dataset (no " + FILE_NAME
                        + "); run 'sparkcae prep' first");
            }
            try (InputStream in = fs.open(p)) {
                Manifest m = MAPPER.readValue(in, Manifest.class);
                if (m.schemaVersion() != PatchSchema.VERSION) {
                    throw SparkCaeException.badData(p + ": patch dataset schema version " + m.schemaVersion()
                            + " is not supported (expected " + PatchSchema.VERSION + "); re-run prep");
                }
                return m;
            }
        } catch (IOException e) {
            throw SparkCaeException.badData(p + ": unreadable manifest: " + e.getMessage(), e);
        }
    }
}
