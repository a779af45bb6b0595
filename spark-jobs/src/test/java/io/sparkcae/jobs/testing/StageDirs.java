package io.sparkcae.jobs.testing;

import io.sparkcae.jobs.common.CommittedStage;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FileSystem;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;

/** Where a stage's committed output lies in a local run dir, found the way sparkcae's readers find it. */
public final class StageDirs {
    private StageDirs() {
    }

    /** The committed output directory of {@code stage} in {@code run}; fails the test when there is none. */
    public static Path output(Path run, String stage) {
        CommittedStage c = committed(run, stage);
        if (c == null) {
            throw new AssertionError(run.resolve(stage) + ": no committed output");
        }
        return Path.of(c.dir().toUri());
    }

    /** The commit of {@code stage} in {@code run}, or null. */
    public static CommittedStage committed(Path run, String stage) {
        try {
            FileSystem fs = FileSystem.getLocal(new Configuration());
            return CommittedStage.read(fs, fs.makeQualified(new org.apache.hadoop.fs.Path(run.resolve(stage).toUri())));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
