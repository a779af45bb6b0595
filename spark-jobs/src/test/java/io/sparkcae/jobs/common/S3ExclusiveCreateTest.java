package io.sparkcae.jobs.common;

import io.sparkcae.jobs.testing.S3Server;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FSDataInputStream;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The commit marker's create-if-absent on a real S3 API server (s3proxy on 127.0.0.1). */
class S3ExclusiveCreateTest {
    private static final String BUCKET = "commits";

    @TempDir
    static java.nio.file.Path tmp;
    private static S3Server s3;

    @BeforeAll
    static void startServer() throws Exception {
        s3 = S3Server.start(tmp.resolve("s3"), BUCKET);
    }

    @AfterAll
    static void stopServer() {
        if (s3 != null) {
            s3.close();
        }
    }

    private static FileSystem fs(boolean conditional) throws Exception {
        Configuration c = s3.hadoopConf();
        c.setBoolean(S3ConditionalCreate.ENABLED, conditional);
        c.setBoolean("fs.s3a.impl.disable.cache", true);
        return FileSystem.get(new URI("s3a://" + BUCKET + "/"), c);
    }

    @Test
    void ofManyWritersRacingForOneMarkerExactlyOneWinsAndItsBytesStay() throws Exception {
        FileSystem fs = fs(true);
        assertTrue(ExclusiveCreate.isAtomic(fs));
        ExecutorService pool = Executors.newFixedThreadPool(8);
        try {
            for (int round = 0; round < 10; round++) {
                Path target = new Path("s3a://" + BUCKET + "/run/train/_commits/" + CommittedStage.markerName(round + 1));
                CountDownLatch go = new CountDownLatch(1);
                List<Future<Boolean>> writers = new ArrayList<>();
                for (int w = 0; w < 8; w++) {
                    byte[] bytes = ("writer " + w + "\n").getBytes(StandardCharsets.UTF_8);
                    writers.add(pool.submit(() -> {
                        go.await();
                        return ExclusiveCreate.create(fs, target, bytes);
                    }));
                }
                go.countDown();
                int winner = -1;
                for (int w = 0; w < writers.size(); w++) {
                    if (writers.get(w).get()) {
                        assertEquals(-1, winner, "round " + round + ": writers " + winner + " and " + w + " both won");
                        winner = w;
                    }
                }
                assertTrue(winner >= 0, "round " + round + ": nobody won");
                assertArrayEquals(("writer " + winner + "\n").getBytes(StandardCharsets.UTF_8), read(fs, target),
                        "round " + round + ": the stored marker is the winner's");
            }
        } finally {
            pool.shutdownNow();
        }
    }

    @Test
    void aMarkerThatExistsIsNeverReplaced() throws Exception {
        FileSystem fs = fs(true);
        Path target = new Path("s3a://" + BUCKET + "/other/_commits/00000001");
        assertTrue(ExclusiveCreate.create(fs, target, "first".getBytes(StandardCharsets.UTF_8)));
        assertFalse(ExclusiveCreate.create(fs, target, "second".getBytes(StandardCharsets.UTF_8)));
        assertArrayEquals("first".getBytes(StandardCharsets.UTF_8), read(fs, target));
        assertTrue(fs.getFileStatus(target).isFile(), "S3A lists the marker the S3 client wrote");
    }

    @Test
    void withTheConditionalPutTurnedOffTheStoreIsReportedAsNotAtomic() throws Exception {
        FileSystem fs = fs(false);
        assertFalse(ExclusiveCreate.isAtomic(fs));
        Path target = new Path("s3a://" + BUCKET + "/plain/_commits/00000001");
        assertTrue(ExclusiveCreate.create(fs, target, "only".getBytes(StandardCharsets.UTF_8)));
        assertFalse(ExclusiveCreate.create(fs, target, "again".getBytes(StandardCharsets.UTF_8)));
    }

    private static byte[] read(FileSystem fs, Path p) throws Exception {
        try (FSDataInputStream in = fs.open(p)) {
            return in.readAllBytes();
        }
    }
}
