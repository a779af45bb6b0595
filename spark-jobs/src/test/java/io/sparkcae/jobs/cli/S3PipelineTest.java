package io.sparkcae.jobs.cli;

import com.fasterxml.jackson.databind.JsonNode;
import io.sparkcae.jobs.testing.FashionMnistSlice;
import io.sparkcae.jobs.testing.S3Server;
import io.sparkcae.jobs.testing.SparkSubmitRun;
import io.sparkcae.jobs.testing.StoredRun;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The whole pipeline (prep, train, encode, score, report) on an S3 API server on 127.0.0.1, launched as users
 * launch it: through SparkSubmit with {@code --data s3a://...}, {@code --run-dir s3a://...} and the endpoint
 * given only as {@code --conf spark.hadoop.fs.s3a.endpoint=...}. Every other S3A setting comes from a
 * core-site.xml whose own endpoint is a dead port, so any read or write that ignored the Spark session's
 * configuration (input readers, Parquet, models, checkpoints, figures, reports) would fail.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
@Timeout(value = 12, unit = TimeUnit.MINUTES)
class S3PipelineTest {
    private static final String BUCKET = "sparkcae-it";
    private static final String DATA = "s3a://" + BUCKET + "/inputs/fashion-mnist";
    private static final String RUN = "s3a://" + BUCKET + "/runs/r1";

    @TempDir
    static Path tmp;
    static S3Server s3;
    /** A folder holding the core-site.xml every child JVM sees first on its classpath. */
    static Path siteDir;

    @BeforeAll
    static void startServerAndUpload() throws Exception {
        Path slice = FashionMnistSlice.write(tmp.resolve("fmnist"), 300, 100);
        s3 = S3Server.start(tmp.resolve("s3"), BUCKET);
        StoredRun.upload(slice, DATA, s3.hadoopConf());
        siteDir = Files.createDirectories(tmp.resolve("site"));
        StringBuilder xml = new StringBuilder("<?xml version=\"1.0\"?>\n<configuration>\n");
        Map<String, String> site = new java.util.LinkedHashMap<>(S3Server.clientSettings());
        // Nothing listens there: only the --conf endpoint reaches the data.
        site.put("fs.s3a.endpoint", "http://127.0.0.1:" + deadPort());
        // Fail fast when something does use the dead endpoint.
        site.put("fs.s3a.attempts.maximum", "1");
        site.put("fs.s3a.retry.limit", "1");
        site.put("fs.s3a.retry.interval", "50ms");
        site.put("fs.s3a.connection.establish.timeout", "2000");
        site.forEach((k, v) -> xml.append("  <property><name>").append(k).append("</name><value>").append(v)
                .append("</value></property>\n"));
        Files.writeString(siteDir.resolve("core-site.xml"), xml.append("</configuration>\n"));
    }

    @AfterAll
    static void stopServer() {
        if (s3 != null) {
            s3.close();
        }
    }

    private static int deadPort() throws java.io.IOException {
        try (java.net.ServerSocket s = new java.net.ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
            return s.getLocalPort(); // closed again on return
        }
    }

    private static SparkSubmitRun cli(String name, Map<String, String> confs, String... args) throws Exception {
        List<String> a = new ArrayList<>(List.of(args));
        a.addAll(List.of("--data", DATA, "--run-dir", RUN, "--set", "train.epochs=1", "--set", "train.batch-size=32",
                "--set", "train.averaging-frequency=5", "--set", "prep.records-per-task=200",
                "--set", "score.residual-maps=2"));
        return SparkSubmitRun.run(tmp.resolve(name + ".log"), siteDir, confs, 5, TimeUnit.MINUTES,
                a.toArray(String[]::new));
    }

    @Test
    @Order(1)
    void withoutTheEndpointSettingTheInputIsUnreachable() throws Exception {
        SparkSubmitRun r = cli("prep-no-endpoint", Map.of(), "prep");
        assertNotEquals(0, r.exitCode(), r.toString());
        // the run dir is checked first (before Spark starts), so the error names it; either path proves the point
        assertTrue(r.output().contains("sparkcae: error:") && (r.output().contains(RUN) || r.output().contains(DATA)),
                r.toString());
    }

    @Test
    @Order(2)
    void pipelineRunsOnS3WithTheEndpointFromSparkConf() throws Exception {
        Map<String, String> endpoint = Map.of("spark.hadoop.fs.s3a.endpoint", s3.endpoint());
        SparkSubmitRun pipeline = cli("pipeline", endpoint, "pipeline");
        assertEquals(0, pipeline.exitCode(), pipeline.toString());

        StoredRun run = new StoredRun(RUN, s3.hadoopConf());
        JsonNode prep = run.metrics("prep");
        assertEquals(400, prep.get("patches").asLong(), prep.toString());
        assertTrue(run.metrics("train").size() > 0);
        double testMse = run.metrics("encode").get("test_mse").asDouble();
        assertTrue(testMse > 0 && testMse < 0.2, "encode test_mse " + testMse);
        assertTrue(run.metrics("score").size() > 0);
        assertEquals(1, run.find("train", "model.zip").stream().filter(p -> !p.toString().contains("/.")).count(),
                "one committed model.zip: " + run.find("train", "model.zip"));
        assertTrue(run.find("train", "loss.png").size() >= 1, "train figures written to S3");
        assertTrue(run.find("score", "roc.png").size() + run.find("score", "score_histogram.png").size() >= 1,
                "score figures written to S3");
        var pages = run.find("report", "report.html").stream().filter(p -> !p.toString().contains("/.")).toList();
        assertEquals(1, pages.size(), "one committed report: " + pages);
        assertTrue(pipeline.output().contains("Report written to " + RUN + "/report/"), pipeline.output());
    }
}
