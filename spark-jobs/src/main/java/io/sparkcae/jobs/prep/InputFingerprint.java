package io.sparkcae.jobs.prep;

import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FileStatus;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.LocatedFileStatus;
import org.apache.hadoop.fs.Path;
import org.apache.hadoop.fs.RemoteIterator;

import java.io.IOException;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;

/** Identifies raw input by its files' names, sizes and modification times: cheap, and changes with them. */
final class InputFingerprint {
    private InputFingerprint() {
    }

    static String of(String input, Configuration hadoop) {
        List<String> parts = new ArrayList<>();
        try {
            Path p = new Path(input);
            FileSystem fs = p.getFileSystem(hadoop);
            if (!fs.exists(p)) {
                return "missing:" + input;
            }
            RemoteIterator<LocatedFileStatus> it = fs.listFiles(p, true);
            while (it.hasNext()) {
                FileStatus s = it.next();
                parts.add(s.getPath().toString() + "|" + s.getLen() + "|" + s.getModificationTime());
            }
        } catch (IOException e) {
            return "unlisted:" + input;
        }
        Collections.sort(parts);
        return String.join("\n", parts);
    }
}
