package io.sparkcae.jobs.common;

import io.sparkcae.core.error.ExitCode;
import io.sparkcae.core.error.SparkCaeException;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FSDataInputStream;
import org.apache.hadoop.fs.FSDataOutputStream;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;

import java.io.IOException;
import java.nio.charset.StandardCharsets;

/**
 * Small text and binary files of a run (metrics, model metadata, figures) written and read through Hadoop's
 * FileSystem, so the run directory may be local, HDFS or S3. Figures are drawn to a local temp file
 * first (the plotting library needs one) and copied in.
 */
public final class RunFiles {
    private RunFiles() {
    }

    public static void writeString(String dir, String name, String content, Configuration hadoop) {
        Path p = new Path(dir, name);
        try (FSDataOutputStream out = p.getFileSystem(hadoop).create(p, true)) {
            out.write(content.getBytes(StandardCharsets.UTF_8));
        } catch (IOException e) {
            throw new SparkCaeException(ExitCode.INFRASTRUCTURE, p + ": cannot write: " + e.getMessage(), e);
        }
    }

    /** A small file's whole text (UTF-8); I/O errors are the caller's to word, as their meaning differs. */
    public static String readString(FileSystem fs, Path p) throws IOException {
        try (FSDataInputStream in = fs.open(p)) {
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        }
    }

    public static void copyLocal(java.nio.file.Path local, String dir, String name, Configuration hadoop) {
        Path p = new Path(dir, name);
        try {
            FileSystem fs = p.getFileSystem(hadoop);
            fs.copyFromLocalFile(false, true, new Path(local.toUri()), p);
        } catch (IOException e) {
            throw new SparkCaeException(ExitCode.INFRASTRUCTURE, p + ": cannot write: " + e.getMessage(), e);
        }
    }
}
