package io.sparkcae.jobs.cli;

import io.sparkcae.jobs.common.CommittedStage;
import io.sparkcae.jobs.testing.FashionMnistSlice;
import io.sparkcae.jobs.testing.S3Server;
import io.sparkcae.jobs.testing.SparkSubmitRun;
import io.sparkcae.jobs.testing.StoredRun;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FileStatus;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * A prep that replaces a committed output on an S3 server is SIGKILLed at its commit (the moment its
 * attempt is complete): readers then find either the old output or the new one, whole, never a mix or a
 * partial one; and the next run of the stage leaves no attempt behind.
 */
@Timeout(value = 8, unit = TimeUnit.MINUTES)
class S3CommitKillTest {
    private static final String BUCKET = "sparkcae-kill";
    private static final String DATA = "s3a://" + BUCKET + "/inputs/fm";
    private static final String RUN = "s3a://" + BUCKET + "/runs/k";

    @TempDir
    java.nio.file.Path tmp;

    @Test
    void aRunKilledAtItsCommitLeavesTheOldOrTheNewOutputWholeAndTheNextRunCleansUp() throws Exception {
        java.nio.file.Path slice = FashionMnistSlice.write(tmp.resolve("fm"), 300, 100);
        try (S3Server s3 = S3Server.start(tmp.resolve("s3"), BUCKET)) {
            Configuration hadoop = s3.hadoopConf();
            StoredRun.upload(slice, DATA, hadoop);
            Map<String, String> confs = new java.util.LinkedHashMap<>();
            S3Server.clientSettings().forEach((k, v) -> confs.put("spark.hadoop." + k, v));
            confs.put("spark.hadoop.fs.s3a.endpoint", s3.endpoint());
            FileSystem fs = new Path(RUN).getFileSystem(hadoop);
            Path stage = fs.makeQualified(new Path(RUN, "prep"));

            SparkSubmitRun first = SparkSubmitRun.run(tmp.resolve("first.log"), null, confs, 4, TimeUnit.MINUTES,
                    prep("0.1"));
            assertEquals(0, first.exitCode(), first.toString());
            CommittedStage old = CommittedStage.read(fs, stage);
            assertNotNull(old, first.toString());

            // the replacing run: killed as soon as its attempt holds everything but metrics.json and the marker
            Process killed = SparkSubmitRun.start(tmp.resolve("killed.log"), null, confs, withOverwrite(prep("0.2")));
            long deadline = System.nanoTime() + TimeUnit.MINUTES.toNanos(4);
            boolean ready = false;
            while (!ready && killed.isAlive() && System.nanoTime() < deadline) {
                ready = attempts(fs, stage).stream().anyMatch(a -> !a.equals(old.attempt()) && exists(fs,
                        new Path(new Path(stage, a), "patches/_manifest.json")));
                Thread.sleep(20);
            }
            killed.destroyForcibly();
            killed.waitFor(30, TimeUnit.SECONDS);
            assertTrue(ready, "the killed run got as far as its commit: " + java.nio.file.Files.readString(
                    tmp.resolve("killed.log")));

            CommittedStage after = CommittedStage.read(fs, stage);
            assertNotNull(after, "an output stays committed");
            assertTrue(after.version() == old.version() && after.attempt().equals(old.attempt())
                    || after.version() == old.version() + 1, "the old output or the new one: " + after);
            assertWhole(fs, after);
            System.out.println("S3CommitKillTest: after the kill the committed output is "
                    + (after.attempt().equals(old.attempt()) ? "the old one" : "the new one") + " (" + after.attempt() + ")");

            SparkSubmitRun next = SparkSubmitRun.run(tmp.resolve("next.log"), null, confs, 4, TimeUnit.MINUTES,
                    withOverwrite(prep("0.3")));
            assertEquals(0, next.exitCode(), next.toString());
            CommittedStage last = CommittedStage.read(fs, stage);
            assertWhole(fs, last);
            assertEquals(List.of(last.attempt()), attempts(fs, stage), "no attempt left behind but the committed one");
        }
    }

    private static String[] prep(String valFraction) {
        return new String[]{"prep", "--data", DATA, "--run-dir", RUN, "--set", "data.val-fraction=" + valFraction,
                "--set", "prep.records-per-task=100"};
    }

    private static String[] withOverwrite(String[] args) {
        String[] out = Arrays.copyOf(args, args.length + 2);
        out[args.length] = "--if-exists";
        out[args.length + 1] = "overwrite";
        return out;
    }

    /** A committed output has its manifest, its Parquet parts and its metrics: everything prep writes. */
    private static void assertWhole(FileSystem fs, CommittedStage c) throws Exception {
        assertTrue(fs.exists(new Path(c.dir(), "metrics.json")), "metrics.json in " + c.dir());
        assertTrue(fs.exists(new Path(c.dir(), "patches/_manifest.json")), "manifest in " + c.dir());
        assertTrue(Arrays.stream(fs.listStatus(new Path(c.dir(), "patches")))
                .anyMatch(s -> s.getPath().getName().startsWith("part-")), "Parquet parts in " + c.dir());
    }

    private static List<String> attempts(FileSystem fs, Path stage) {
        List<String> out = new ArrayList<>();
        try {
            for (FileStatus s : fs.listStatus(stage)) {
                String n = s.getPath().getName();
                if (n.matches("v\\d+\\.[0-9a-f]{8}")) {
                    out.add(n);
                }
            }
        } catch (java.io.IOException e) {
            // not there yet
        }
        return out;
    }

    private static boolean exists(FileSystem fs, Path p) {
        try {
            return fs.exists(p);
        } catch (java.io.IOException e) {
            return false;
        }
    }
}
