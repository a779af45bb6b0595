package io.sparkcae.jobs.common;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.sparkcae.core.error.SparkCaeException;
import org.apache.hadoop.conf.Configuration;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Runs one stage's write the same way for every stage, the way Spark's FileCommitProtocol owns a job's
 * write: honours {@code --if-exists} (skip, refuse or replace), gives the stage a fresh attempt directory,
 * writes the stage's {@code metrics.json} there, commits, and on any failure removes the attempt and says
 * what went wrong in terms of the output (a concurrent run that won the commit, a full disk).
 */
public final class StageRunner {
    private static final Logger LOG = LoggerFactory.getLogger(StageRunner.class);
    private static final ObjectMapper JSON = new ObjectMapper();
    public static final String METRICS = "metrics.json";
    /** Key of the committed output directory in the map {@link #run} returns (not part of metrics.json). */
    public static final String OUTPUT = "output";

    /** A stage's work: writes its outputs under {@code dir} and returns the metrics to record. */
    @FunctionalInterface
    public interface Body {
        Map<String, Object> write(String dir) throws Exception;
    }

    private StageRunner() {
    }

    /**
     * Runs {@code body} into a new attempt of the stage directory {@code dirName} of {@code ctx}'s run and
     * commits it; returns its metrics plus {@link #OUTPUT}, or {@code {skipped: true, output: ...}} when the
     * same run is already committed and the policy is skip.
     *
     * @param fingerprint what the output depends on (see {@link Fingerprint}): a committed output with the
     *                    same fingerprint is the same result
     */
    public static Map<String, Object> run(StageContext ctx, String dirName, String fingerprint, Configuration hadoop,
                                          Body body) throws Exception {
        StageOutput out = StageOutput.begin(ctx.stageDir(dirName), fingerprint, ctx.ifExists(), hadoop);
        if (out == null) {
            return Map.of("skipped", true, OUTPUT, ctx.committed(dirName, hadoop).dir().toString());
        }
        Map<String, Object> metrics;
        try {
            metrics = body.write(out.attemptDir());
            RunFiles.writeString(out.attemptDir(), METRICS, JSON.writerWithDefaultPrettyPrinter().writeValueAsString(metrics),
                    hadoop);
        } catch (Exception | Error e) {
            out.abort();
            SparkCaeException explained = out.explainFailure();
            if (explained == null) {
                explained = OutputWriteFailure.explain(e, out.stageDir());
            }
            if (explained != null) {
                explained.addSuppressed(e);
                throw explained;
            }
            throw e;
        }
        out.commit();
        LOG.info("{}: committed {} (fingerprint {})", dirName, out.attemptDir(), fingerprint);
        Map<String, Object> result = new LinkedHashMap<>(metrics);
        result.put(OUTPUT, out.attemptDir());
        return result;
    }
}
