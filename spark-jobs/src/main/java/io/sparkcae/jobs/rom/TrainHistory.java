package io.sparkcae.jobs.rom;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.sparkcae.core.report.EpochLoss;
import io.sparkcae.jobs.common.CommittedStage;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/**
 * What the train stage recorded about a CAE's training, read back for {@link RomGuardrail}: the per-epoch
 * train and validation errors of {@code metrics.jsonl}, and {@code best_epoch} / {@code stopped_early} of
 * {@code metrics.json}. A model directory outside a stage commit (or without the files) gives an empty
 * history, which the guardrail reports as such.
 */
final class TrainHistory {
    private static final ObjectMapper JSON = new ObjectMapper();

    private TrainHistory() {
    }

    static RomGuardrail.Training read(String modelDir, Configuration hadoop, String epochsKey) {
        try {
            CommittedStage committed = CommittedStage.read(modelDir, hadoop);
            Path dir = committed != null ? committed.dir() : new Path(modelDir);
            FileSystem fs = dir.getFileSystem(hadoop);
            Path jsonl = new Path(dir, "metrics.jsonl");
            if (!fs.exists(jsonl)) {
                return RomGuardrail.Training.unknown(epochsKey);
            }
            List<EpochLoss> history = new ArrayList<>();
            try (BufferedReader in = new BufferedReader(new InputStreamReader(fs.open(jsonl), StandardCharsets.UTF_8))) {
                for (String line = in.readLine(); line != null; line = in.readLine()) {
                    if (line.isBlank()) {
                        continue;
                    }
                    JsonNode e = JSON.readTree(line);
                    history.add(new EpochLoss(e.path("epoch").asInt(), number(e, "train_loss"), number(e, "val_mse")));
                }
            }
            int bestEpoch = 0;
            boolean stopped = false;
            Path metrics = new Path(dir, "metrics.json");
            if (fs.exists(metrics)) {
                try (var in = fs.open(metrics)) {
                    JsonNode m = JSON.readTree(in);
                    bestEpoch = m.path("best_epoch").asInt(0);
                    stopped = m.path("stopped_early").asBoolean(false);
                }
            }
            return new RomGuardrail.Training(history, bestEpoch, stopped, epochsKey);
        } catch (IOException | RuntimeException e) {
            // the guardrail only explains; an unreadable history must not fail the stage
            return RomGuardrail.Training.unknown(epochsKey);
        }
    }

    private static double number(JsonNode e, String field) {
        JsonNode v = e.get(field);
        return v == null || !v.isNumber() ? Double.NaN : v.asDouble();
    }
}
