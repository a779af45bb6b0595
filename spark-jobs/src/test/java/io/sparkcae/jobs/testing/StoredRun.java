package io.sparkcae.jobs.testing;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FSDataInputStream;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.LocatedFileStatus;
import org.apache.hadoop.fs.Path;
import org.apache.hadoop.fs.RemoteIterator;

import java.io.IOException;
import java.nio.file.Files;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;

/**
 * A run directory on any Hadoop file system, read back through the file system API the way a user's tools
 * would. It finds a stage's files by name anywhere under the stage's folder, so the checks do not depend on
 * how a stage lays out and commits its attempt.
 */
public final class StoredRun {
    private static final ObjectMapper JSON = new ObjectMapper();

    private final FileSystem fs;
    private final Path runDir;

    public StoredRun(String runDir, Configuration hadoop) throws IOException {
        this.runDir = new Path(runDir);
        this.fs = this.runDir.getFileSystem(hadoop);
    }

    /** Copies every file of a local folder (not recursive) to {@code target} on the file system. */
    public static void upload(java.nio.file.Path localDir, String target, Configuration hadoop) throws IOException {
        Path dst = new Path(target);
        FileSystem fs = dst.getFileSystem(hadoop);
        fs.mkdirs(dst);
        try (Stream<java.nio.file.Path> files = Files.list(localDir)) {
            for (java.nio.file.Path f : files.toList()) {
                fs.copyFromLocalFile(false, true, new Path(f.toUri()), new Path(dst, f.getFileName().toString()));
            }
        }
    }

    /** Paths of every file called {@code name} under {@code <run-dir>/<stage>}. */
    public List<Path> find(String stage, String name) throws IOException {
        List<Path> found = new ArrayList<>();
        Path dir = new Path(runDir, stage);
        if (!fs.exists(dir)) {
            return found;
        }
        RemoteIterator<LocatedFileStatus> it = fs.listFiles(dir, true);
        while (it.hasNext()) {
            Path p = it.next().getPath();
            if (p.getName().equals(name)) {
                found.add(p);
            }
        }
        return found;
    }

    /** The stage's metrics.json; fails unless there is exactly one, outside hidden/temporary folders. */
    public JsonNode metrics(String stage) throws IOException {
        List<Path> all = find(stage, "metrics.json").stream().filter(p -> !hidden(p)).toList();
        if (all.size() != 1) {
            throw new AssertionError(stage + ": expected one committed metrics.json under " + new Path(runDir, stage)
                    + ", found " + all);
        }
        try (FSDataInputStream in = fs.open(all.get(0))) {
            return JSON.readTree(in);
        }
    }

    /** A path with a component starting with "." (Hadoop's and sparkcae's temporary folders). */
    private boolean hidden(Path p) {
        String rel = p.toUri().getPath().substring(runDir.toUri().getPath().length());
        for (String part : rel.split("/")) {
            if (part.startsWith(".")) {
                return true;
            }
        }
        return false;
    }
}
