package io.sparkcae.jobs.common;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.sparkcae.jobs.testing.CliProcess;
import io.sparkcae.jobs.testing.FashionMnistSlice;
import io.sparkcae.jobs.testing.StageDirs;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Two separate processes run prep into one run dir at the same moment, with different configs, ten times:
 * each time exactly one exits 0, the other exits non-zero naming the run dir, and the committed output is the
 * winner's, complete.
 */
@Timeout(value = 10, unit = TimeUnit.MINUTES)
class ConcurrentCommitTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final int ROUNDS = 10;

    @TempDir
    Path tmp;

    @Test
    void ofTwoConcurrentRunsExactlyOneCommitsAndTheOtherSaysSo() throws Exception {
        Path data = FashionMnistSlice.write(tmp.resolve("fm"), 400, 100);
        int raced = 0;
        for (int round = 0; round < ROUNDS; round++) {
            Path run = tmp.resolve("run-" + round);
            // the two configs differ in the validation fraction, which the manifest records
            String[] fractions = {"0.1", "0.2"};
            CliProcess[] children = new CliProcess[2];
            for (int i = 0; i < 2; i++) {
                children[i] = CliProcess.start(tmp.resolve("round-" + round + "-" + i + ".log"), "prep", "--data",
                        data.toString(), "--run-dir", run.toString(), "--set", "data.val-fraction=" + fractions[i],
                        "--set", "prep.records-per-task=100");
            }
            int[] codes = new int[2];
            String[] logs = new String[2];
            for (int i = 0; i < 2; i++) {
                try (CliProcess c = children[i]) {
                    codes[i] = c.awaitExit(4, TimeUnit.MINUTES);
                    logs[i] = c.output();
                }
            }
            String both = "round " + round + ":\n--- run 0 (exit " + codes[0] + ")\n" + tail(logs[0])
                    + "\n--- run 1 (exit " + codes[1] + ")\n" + tail(logs[1]);
            assertEquals(1, (codes[0] == 0 ? 1 : 0) + (codes[1] == 0 ? 1 : 0), "exactly one run commits; " + both);
            int winner = codes[0] == 0 ? 0 : 1;
            int loser = 1 - winner;
            List<String> loserLines = logs[loser].lines().filter(l -> l.startsWith("sparkcae: error: ")).toList();
            assertEquals(1, loserLines.size(), both);
            assertTrue(loserLines.get(0).contains(run.resolve("prep").toString()), "names the stage dir: " + both);
            assertTrue(codes[loser] == 2 || codes[loser] == 5, both);
            if (loserLines.get(0).contains("another run committed")) {
                raced++;
            }

            CommittedStage committed = StageDirs.committed(run, "prep");
            assertTrue(logs[winner].contains("fingerprint " + committed.fingerprint()), "the winner's commit; " + both);
            Path patches = StageDirs.output(run, "prep").resolve("patches");
            JsonNode manifest = JSON.readTree(patches.resolve("_manifest.json").toFile());
            assertEquals(Double.parseDouble(fractions[winner]),
                    manifest.at("/prepConfig/data/val-fraction").asDouble(), "the winner's config; " + both);
            long parts;
            try (var s = Files.list(patches)) {
                parts = s.filter(p -> p.getFileName().toString().startsWith("part-")).count();
            }
            assertTrue(parts > 0, "complete output; " + both);
            try (var s = Files.list(run.resolve("prep"))) {
                assertEquals(List.of("_SUCCESS", "_commits", committed.attempt()),
                        s.map(p -> p.getFileName().toString()).filter(n -> !n.startsWith(".")).sorted().toList(),
                        "the loser left nothing; " + both);
            }
        }
        System.out.println("ConcurrentCommitTest: " + raced + " of " + ROUNDS + " rounds were decided at the commit"
                + " marker (the others at the begin check)");
        assertTrue(raced > 0, "at least one round raced to the commit marker");
    }

    private static String tail(String log) {
        List<String> lines = log.lines().toList();
        return String.join("\n", lines.subList(Math.max(0, lines.size() - 15), lines.size()));
    }
}
