package io.sparkcae.jobs.common;

import io.sparkcae.core.error.ExitCode;
import io.sparkcae.core.error.SparkCaeException;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FileSystem;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicInteger;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The commit protocol on the local file system: attempts, markers, policies, races and leftovers. */
class StageOutputTest {
    private static final Configuration HADOOP = new Configuration();

    @TempDir
    Path tmp;

    @Test
    void aCommitPublishesTheAttemptThroughItsMarker() throws Exception {
        Path stage = tmp.resolve("run/encode");
        StageOutput out = StageOutput.begin(stage.toString(), "fp1", IfExists.FAIL, HADOOP);
        Files.writeString(attemptDir(out).resolve("data.txt"), "one");
        assertNull(CommittedStage.read(stage.toString(), HADOOP), "nothing is visible before the commit");
        out.commit();

        CommittedStage c = CommittedStage.read(stage.toString(), HADOOP);
        assertEquals(1, c.version());
        assertEquals("fp1", c.fingerprint());
        assertEquals("one", Files.readString(local(c).resolve("data.txt")));
        String success = Files.readString(stage.resolve("_SUCCESS"));
        assertTrue(success.contains("attempt=" + c.attempt()) && success.contains("fingerprint=fp1"), success);
    }

    @Test
    void policiesSkipRefuseOrReplaceAndTheReplacedOutputGoes() throws Exception {
        Path stage = tmp.resolve("run/train");
        commit(stage, "fp1", IfExists.FAIL, "old");
        CommittedStage first = CommittedStage.read(stage.toString(), HADOOP);

        assertNull(StageOutput.begin(stage.toString(), "fp1", IfExists.SKIP, HADOOP), "same run: skipped");
        SparkCaeException refused = assertThrows(SparkCaeException.class,
                () -> StageOutput.begin(stage.toString(), "fp2", IfExists.SKIP, HADOOP));
        assertEquals(ExitCode.USAGE, refused.exitCode());
        assertTrue(refused.getMessage().contains("different run"), refused.getMessage());
        assertThrows(SparkCaeException.class, () -> StageOutput.begin(stage.toString(), "fp1", IfExists.FAIL, HADOOP));

        StageOutput replacing = StageOutput.begin(stage.toString(), "fp2", IfExists.OVERWRITE, HADOOP);
        assertEquals("old", Files.readString(local(first).resolve("data.txt")), "old output readable while replacing");
        Files.writeString(attemptDir(replacing).resolve("data.txt"), "new");
        replacing.commit();

        CommittedStage second = CommittedStage.read(stage.toString(), HADOOP);
        assertEquals(2, second.version());
        assertEquals("new", Files.readString(local(second).resolve("data.txt")));
        assertFalse(Files.exists(local(first)), "the replaced attempt is removed");
        assertEquals(List.of("_SUCCESS", "_commits", second.attempt()), names(stage));
    }

    @Test
    void ofTwoRacingAttemptsExactlyOneCommitsAndTheLoserLeavesNothing() throws Exception {
        Path stage = tmp.resolve("run/prep");
        StageOutput a = StageOutput.begin(stage.toString(), "fpA", IfExists.FAIL, HADOOP);
        StageOutput b = StageOutput.begin(stage.toString(), "fpB", IfExists.FAIL, HADOOP);
        a.commit();
        SparkCaeException lost = assertThrows(SparkCaeException.class, b::commit);
        assertEquals(ExitCode.INFRASTRUCTURE, lost.exitCode());
        assertTrue(lost.getMessage().startsWith(CommittedStage.read(stage.toString(), HADOOP).stageDir().toString())
                && lost.getMessage().contains("another run committed"), lost.getMessage());
        assertEquals("fpA", CommittedStage.read(stage.toString(), HADOOP).fingerprint());
        assertFalse(Files.exists(attemptDir(b)));
    }

    @Test
    void aKilledAttemptIsRemovedByTheNextCommitAndAFailedFirstRunLeavesNoStageDir() throws Exception {
        Path stage = tmp.resolve("run/score");
        StageOutput killed = StageOutput.begin(stage.toString(), "fp1", IfExists.FAIL, HADOOP);
        Files.writeString(attemptDir(killed).resolve("part-0"), "partial");
        commit(stage, "fp1", IfExists.FAIL, "whole");
        CommittedStage c = CommittedStage.read(stage.toString(), HADOOP);
        assertEquals(List.of("_SUCCESS", "_commits", c.attempt()), names(stage));

        Path other = tmp.resolve("run/report");
        StageOutput failed = StageOutput.begin(other.toString(), "fp", IfExists.FAIL, HADOOP);
        failed.abort();
        assertFalse(Files.exists(other));
    }

    @Test
    void aStageDirOfTheOlderInPlaceLayoutReadsAsCommittedAndIsReplacedCleanly() throws Exception {
        Path stage = tmp.resolve("run/encode");
        Files.createDirectories(stage.resolve("latents"));
        Files.writeString(stage.resolve("metrics.json"), "{}");
        Files.writeString(stage.resolve("_SUCCESS"), "abc123\n");
        CommittedStage legacy = CommittedStage.read(stage.toString(), HADOOP);
        assertEquals(0, legacy.version());
        assertEquals("abc123", legacy.fingerprint());
        assertEquals(stage.toUri().getPath().replaceAll("/$", ""), legacy.dir().toUri().getPath());

        Files.createDirectories(tmp.resolve("run/.encode.tmp-1234/latents"));
        Files.createDirectories(tmp.resolve("run/.encode.old-5678"));
        commit(stage, "fp2", IfExists.OVERWRITE, "new");
        CommittedStage now = CommittedStage.read(stage.toString(), HADOOP);
        assertEquals(1, now.version());
        assertEquals(List.of("_SUCCESS", "_commits", now.attempt()), names(stage));
        try (var s = Files.list(tmp.resolve("run"))) {
            assertEquals(List.of("encode"), s.map(p -> p.getFileName().toString()).sorted().toList(),
                    "an older version's rename leftovers are gone");
        }
    }

    @Test
    void exclusiveCreateOnALocalDiskLetsExactlyOneOfManyWritersWin() throws Exception {
        FileSystem fs = FileSystem.getLocal(HADOOP);
        assertTrue(ExclusiveCreate.isAtomic(fs));
        ExecutorService pool = Executors.newFixedThreadPool(8);
        try {
            for (int round = 0; round < 20; round++) {
                org.apache.hadoop.fs.Path target = new org.apache.hadoop.fs.Path(tmp.resolve("race-" + round).toUri());
                CountDownLatch go = new CountDownLatch(1);
                AtomicInteger winners = new AtomicInteger();
                List<Future<?>> all = new ArrayList<>();
                for (int w = 0; w < 8; w++) {
                    byte[] bytes = ("writer " + w).getBytes();
                    all.add(pool.submit(() -> {
                        go.await();
                        if (ExclusiveCreate.create(fs, target, bytes)) {
                            winners.incrementAndGet();
                        }
                        return null;
                    }));
                }
                go.countDown();
                for (Future<?> f : all) {
                    f.get();
                }
                assertEquals(1, winners.get(), "round " + round);
                assertTrue(Files.readString(Path.of(target.toUri())).startsWith("writer "));
            }
        } finally {
            pool.shutdownNow();
        }
    }

    @Test
    void aForeignMarkerIsRefusedNotTakenForACommit() throws Exception {
        Path stage = tmp.resolve("run/rom");
        Files.createDirectories(stage.resolve("_commits"));
        Files.writeString(stage.resolve("_commits/00000001"), "garbage");
        SparkCaeException e = assertThrows(SparkCaeException.class, () -> CommittedStage.read(stage.toString(), HADOOP));
        assertNotEquals(ExitCode.OK, e.exitCode());
        assertTrue(e.getMessage().contains("00000001"), e.getMessage());
    }

    private static void commit(Path stage, String fingerprint, IfExists policy, String content) throws Exception {
        StageOutput out = StageOutput.begin(stage.toString(), fingerprint, policy, HADOOP);
        Files.writeString(attemptDir(out).resolve("data.txt"), content);
        out.commit();
    }

    private static Path attemptDir(StageOutput out) {
        return Path.of(java.net.URI.create(out.attemptDir()));
    }

    private static Path local(CommittedStage c) {
        return Path.of(c.dir().toUri());
    }

    private static List<String> names(Path dir) throws Exception {
        try (var s = Files.list(dir)) {
            return s.map(p -> p.getFileName().toString()).filter(n -> !n.startsWith(".")).sorted().toList();
        }
    }
}
