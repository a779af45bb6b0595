package io.sparkcae.jobs.common;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.sparkcae.jobs.cli.CommitRaceProcess;
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
 * Two separate processes commit the same stage into one run dir at the same moment, ten times: each time
 * exactly one exits 0, the other exits non-zero with one error line naming the stage dir, and the committed
 * output is the winner's, complete. The ten rounds use a light contender (the real stage runner and error
 * path, without Spark: {@link CommitRaceProcess}) so that every round is a true race at the commit marker;
 * one more round races two real {@code sparkcae prep} runs end to end.
 */
@Timeout(value = 8, unit = TimeUnit.MINUTES)
class ConcurrentCommitTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final int ROUNDS = 10;

    @TempDir
    Path tmp;

    @Test
    void ofTwoProcessesCommittingOneStageExactlyOneWinsEveryTime() throws Exception {
        for (int round = 0; round < ROUNDS; round++) {
            Path run = tmp.resolve("race-" + round);
            Path barrier = Files.createDirectories(tmp.resolve("barrier-" + round));
            String[] tags = {"a" + round, "b" + round};
            Process[] children = new Process[2];
            Path[] logs = new Path[2];
            for (int i = 0; i < 2; i++) {
                logs[i] = tmp.resolve("race-" + round + "-" + i + ".log");
                children[i] = new ProcessBuilder(java(), "-cp", System.getProperty("java.class.path"),
                        CommitRaceProcess.class.getName(), run.toString(), tags[i], barrier.toString())
                        .redirectErrorStream(true).redirectOutput(logs[i].toFile()).start();
            }
            int[] codes = new int[2];
            String[] out = new String[2];
            for (int i = 0; i < 2; i++) {
                assertTrue(children[i].waitFor(2, TimeUnit.MINUTES), "contender " + i + " finished");
                codes[i] = children[i].exitValue();
                out[i] = Files.readString(logs[i]);
            }
            String both = "round " + round + ": exits " + codes[0] + "/" + codes[1] + "\n" + out[0] + "\n---\n" + out[1];
            int winner = checkOneWinner(run, codes, out, both);
            assertTrue(out[1 - winner].contains("another run committed"), "decided at the marker; " + both);
            CommittedStage committed = StageDirs.committed(run, "prep");
            assertEquals(Fingerprint.of("race", tags[winner]), committed.fingerprint(), both);
            Path patches = StageDirs.output(run, "prep").resolve("patches");
            for (int f = 0; f < CommitRaceProcess.FILES; f++) {
                assertEquals(tags[winner], Files.readString(patches.resolve("part-" + f)), "complete; " + both);
            }
        }
    }

    @Test
    void ofTwoConcurrentPrepRunsExactlyOneCommitsAndTheOtherSaysSo() throws Exception {
        Path data = FashionMnistSlice.write(tmp.resolve("fm"), 300, 100);
        Path run = tmp.resolve("run");
        // the two configs differ in the validation fraction, which the manifest records
        String[] fractions = {"0.1", "0.2"};
        CliProcess[] children = new CliProcess[2];
        for (int i = 0; i < 2; i++) {
            children[i] = CliProcess.start(tmp.resolve("prep-" + i + ".log"), "prep", "--data", data.toString(),
                    "--run-dir", run.toString(), "--set", "data.val-fraction=" + fractions[i]);
        }
        int[] codes = new int[2];
        String[] logs = new String[2];
        for (int i = 0; i < 2; i++) {
            try (CliProcess c = children[i]) {
                codes[i] = c.awaitExit(4, TimeUnit.MINUTES);
                logs[i] = c.output();
            }
        }
        String both = "exits " + codes[0] + "/" + codes[1] + "\n" + tail(logs[0]) + "\n---\n" + tail(logs[1]);
        int winner = checkOneWinner(run, codes, logs, both);
        CommittedStage committed = StageDirs.committed(run, "prep");
        assertTrue(logs[winner].contains("fingerprint " + committed.fingerprint()), "the winner's commit; " + both);
        Path patches = StageDirs.output(run, "prep").resolve("patches");
        JsonNode manifest = JSON.readTree(patches.resolve("_manifest.json").toFile());
        assertEquals(Double.parseDouble(fractions[winner]), manifest.at("/prepConfig/data/val-fraction").asDouble(),
                "the winner's config; " + both);
    }

    /** Exactly one exit 0; the loser's one error line names the stage dir; nothing of the loser is left. */
    private static int checkOneWinner(Path run, int[] codes, String[] out, String both) throws Exception {
        assertEquals(1, (codes[0] == 0 ? 1 : 0) + (codes[1] == 0 ? 1 : 0), "exactly one run commits; " + both);
        int winner = codes[0] == 0 ? 0 : 1;
        int loser = 1 - winner;
        assertTrue(codes[loser] == 2 || codes[loser] == 5, both);
        List<String> errors = out[loser].lines().filter(l -> l.startsWith("sparkcae: error: ")).toList();
        assertEquals(1, errors.size(), both);
        assertTrue(errors.get(0).contains(run.resolve("prep").toString()), "names the stage dir; " + both);
        CommittedStage committed = StageDirs.committed(run, "prep");
        try (var s = Files.list(run.resolve("prep"))) {
            assertEquals(List.of("_SUCCESS", "_commits", committed.attempt()),
                    s.map(p -> p.getFileName().toString()).filter(n -> !n.startsWith(".")).sorted().toList(),
                    "the loser left nothing; " + both);
        }
        return winner;
    }

    private static String java() {
        return Path.of(System.getProperty("java.home"), "bin", "java").toString();
    }

    private static String tail(String log) {
        List<String> lines = log.lines().toList();
        return String.join("\n", lines.subList(Math.max(0, lines.size() - 15), lines.size()));
    }
}
