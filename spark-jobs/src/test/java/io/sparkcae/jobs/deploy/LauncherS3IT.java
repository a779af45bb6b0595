package io.sparkcae.jobs.deploy;

import io.sparkcae.jobs.testing.FashionMnistSlice;
import io.sparkcae.jobs.testing.S3Server;
import io.sparkcae.jobs.testing.StoredRun;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The local launcher (deploy/sparkcae) hands leading {@code --conf} pairs to Spark: prep reads its input from
 * and writes its output to an S3 API server on 127.0.0.1 that only those settings name.
 */
@Timeout(value = 6, unit = TimeUnit.MINUTES)
class LauncherS3IT {
    private static final String BUCKET = "sparkcae-launcher";

    @TempDir
    Path tmp;

    @Test
    void leadingConfPairsReachTheInputReaders() throws Exception {
        Path repo = AirflowDagTest.repoRoot();
        Assumptions.assumeTrue(Files.isRegularFile(repo.resolve("spark-jobs/target/launcher.classpath")),
                "launcher classpath not built (mvn package)");
        Path slice = FashionMnistSlice.write(tmp.resolve("fmnist"), 200, 50);
        try (S3Server s3 = S3Server.start(tmp.resolve("s3"), BUCKET)) {
            String data = "s3a://" + BUCKET + "/inputs";
            String run = "s3a://" + BUCKET + "/runs/launcher";
            StoredRun.upload(slice, data, s3.hadoopConf());

            List<String> cmd = new ArrayList<>(List.of(repo.resolve("deploy/sparkcae").toString()));
            for (Map.Entry<String, String> e : s3.hadoopConf()) {
                if (e.getKey().startsWith("fs.s3a.")) {
                    cmd.addAll(List.of("--conf", "spark.hadoop." + e.getKey() + "=" + e.getValue()));
                }
            }
            cmd.addAll(List.of("--conf", "spark.ui.enabled=false", "prep", "--data", data, "--run-dir", run,
                    "--set", "prep.records-per-task=100"));
            Path log = tmp.resolve("launcher.log");
            ProcessBuilder pb = new ProcessBuilder(cmd).redirectErrorStream(true).redirectOutput(log.toFile());
            pb.environment().put("SPARKCAE_MEMORY", "3g");
            pb.environment().put("SPARKCAE_MASTER", "local[2]");
            pb.environment().put("SPARK_LOCAL_IP", "127.0.0.1");
            Process p = pb.start();
            boolean done = p.waitFor(5, TimeUnit.MINUTES);
            if (!done) {
                p.destroyForcibly();
            }
            String out = Files.readString(log);
            assertTrue(done, "launcher timed out:\n" + out);
            assertEquals(0, p.exitValue(), out);
            assertEquals(250, new StoredRun(run, s3.hadoopConf()).metrics("prep").get("patches").asLong(), out);
        }
    }
}
