package io.sparkcae.jobs.cli;

import io.sparkcae.jobs.testing.CliRun;
import io.sparkcae.jobs.testing.FashionMnistSlice;
import io.sparkcae.jobs.testing.HdfsServer;
import io.sparkcae.jobs.testing.LocalSpark;
import io.sparkcae.jobs.testing.StoredRun;
import org.apache.hadoop.conf.Configuration;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** prep, train, encode and score, each its own command, with input and run dir on real HDFS (127.0.0.1). */
@ExtendWith(LocalSpark.class)
@Timeout(value = 8, unit = TimeUnit.MINUTES)
class HdfsPipelineTest {
    @TempDir
    static Path tmp;
    static HdfsServer hdfs;
    static String data;
    static String run;

    @BeforeAll
    static void startHdfsAndUpload() throws Exception {
        Path slice = FashionMnistSlice.write(tmp.resolve("fmnist"), 300, 100);
        hdfs = HdfsServer.start(tmp.resolve("hdfs"));
        data = hdfs.uri() + "/inputs/fashion-mnist";
        run = hdfs.uri() + "/runs/r1";
        StoredRun.upload(slice, data, new Configuration());
    }

    @AfterAll
    static void stopHdfs() {
        if (hdfs != null) {
            hdfs.close();
        }
    }

    @Test
    void everyStageReadsAndWritesHdfs() throws Exception {
        for (String stage : List.of("prep", "train", "encode", "score")) {
            CliRun r = CliRun.of(stage, "--data", data, "--run-dir", run, "--set", "train.epochs=1",
                    "--set", "train.batch-size=32", "--set", "train.averaging-frequency=5",
                    "--set", "prep.records-per-task=200", "--set", "score.residual-maps=2");
            assertEquals(0, r.exitCode(), stage + ": " + r);
        }
        StoredRun stored = new StoredRun(run, LocalSpark.get().sparkContext().hadoopConfiguration());
        assertEquals(400, stored.metrics("prep").get("patches").asLong());
        assertTrue(stored.metrics("train").size() > 0);
        double testMse = stored.metrics("encode").get("test_mse").asDouble();
        assertTrue(testMse > 0 && testMse < 0.2, "encode test_mse " + testMse);
        assertTrue(stored.metrics("score").size() > 0);
        assertTrue(stored.find("train", "model.zip").size() >= 1, "model on HDFS");
    }
}
