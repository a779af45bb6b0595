package io.sparkcae.jobs.cli;

import io.sparkcae.core.config.LayeredConfigLoader;
import io.sparkcae.jobs.common.Fingerprint;
import io.sparkcae.jobs.common.IfExists;
import io.sparkcae.jobs.common.StageContext;
import io.sparkcae.jobs.common.StageRunner;
import org.apache.hadoop.conf.Configuration;

import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

/**
 * One contender of ConcurrentCommitTest, in its own JVM: runs a stage through the real {@link StageRunner}
 * (attempt, metrics.json, commit marker) with a body that writes a multi-file output, and reports a failure
 * through the CLI's own error path. Both contenders wait at a barrier after writing, so they reach the commit
 * marker together: every round is decided there, not by one run finding the other's finished output.
 * Arguments: run dir, this contender's tag, barrier dir.
 */
public final class CommitRaceProcess {
    public static final int FILES = 20;

    private CommitRaceProcess() {
    }

    public static void main(String[] args) throws Exception {
        String runDir = args[0];
        String tag = args[1];
        Path barrier = Path.of(args[2]);
        StageContext ctx = new StageContext(LayeredConfigLoader.load(null, List.of()), runDir, IfExists.FAIL);
        try {
            StageRunner.run(ctx, StageContext.PREP_DIR, Fingerprint.of("race", tag), new Configuration(), dir -> {
                Path out = Files.createDirectories(Path.of(java.net.URI.create(dir)).resolve("patches"));
                for (int i = 0; i < FILES; i++) {
                    Files.writeString(out.resolve("part-" + i), tag);
                }
                Files.writeString(barrier.resolve(tag), "ready");
                long deadline = System.nanoTime() + 60_000_000_000L;
                while (System.nanoTime() < deadline) {
                    try (var s = Files.list(barrier)) {
                        if (s.count() >= 2) {
                            break;
                        }
                    }
                    Thread.sleep(5);
                }
                return Map.of("tag", tag);
            });
            System.exit(0);
        } catch (Exception e) {
            System.exit(SparkCaeCli.report(e, new PrintWriter(System.err, true)));
        }
    }
}
