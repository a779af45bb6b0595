package io.sparkcae.jobs.bench;

import io.sparkcae.core.config.SparkCaeConf;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The compare harness against a peer that speaks the PyTorch benchmark's protocol (its command line and its
 * one JSON line) with fixed figures, so the alternation and the ratio arithmetic can be checked exactly.
 */
class CompareBenchTest {
    @TempDir
    Path dir;

    @Test
    void alternatesWithThePeerAndDividesMediansPerCase() throws Exception {
        Path calls = dir.resolve("calls.txt");
        Path peer = dir.resolve("peer.py");
        Files.writeString(peer, """
                import json, sys
                with open(%s, "a") as f:
                    f.write(" ".join(sys.argv[1:]) + "\\n")
                three = "--dims" in sys.argv
                print("some warning the peer prints first")
                print(json.dumps({"train_img_per_s": 10.0 if three else 100.0, "reconstruct_img_per_s": 1000.0,
                                  "encode_img_per_s": 2000.0}))
                """.formatted("'" + calls + "'"));
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        Map<String, Object> r = new CompareBench(SparkCaeConf.defaults(), 2, 2, peer, "python3")
                .run(new PrintStream(out, true, StandardCharsets.UTF_8));

        List<String> invocations = Files.readAllLines(calls);
        assertEquals(4, invocations.size(), "2 pairs x (2D, 3D): " + invocations);
        assertTrue(invocations.get(1).contains("--dims 3") && invocations.get(3).contains("--dims 3"), invocations.toString());
        assertEquals(round2((Double) r.get("2d_train_img_per_s") / 100.0), r.get("2d_train_img_per_s_ratio"));
        assertEquals(round2((Double) r.get("3d_train_img_per_s") / 10.0), r.get("3d_train_img_per_s_ratio"));
        assertEquals(round2((Double) r.get("2d_encode_img_per_s") / 2000.0), r.get("2d_encode_img_per_s_ratio"));
        String table = out.toString(StandardCharsets.UTF_8);
        assertTrue(table.contains("machine: ") && table.contains("medians of 2 alternating pairs"), table);
    }

    @Test
    void withoutThePeerItSaysSoInsteadOfARatio() throws Exception {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        Map<String, Object> r = new CompareBench(SparkCaeConf.defaults(), 1, 2, dir.resolve("absent.py"), "python3")
                .run(new PrintStream(out, true, StandardCharsets.UTF_8));
        String table = out.toString(StandardCharsets.UTF_8);
        assertTrue(table.contains("peer not measured: no peer script at"), table);
        assertTrue((Double) r.get("2d_train_img_per_s") > 0 && !r.containsKey("2d_train_img_per_s_ratio"), r.toString());
    }

    @Test
    void aPeerWithoutTorchIsNamedWithTheInstallHint() throws Exception {
        Path peer = dir.resolve("peer.py");
        Files.writeString(peer, "import sys\nprint(\"ModuleNotFoundError: No module named 'torch'\")\nsys.exit(1)\n");
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        new CompareBench(SparkCaeConf.defaults(), 1, 2, peer, "python3").run(new PrintStream(out, true, StandardCharsets.UTF_8));
        String table = out.toString(StandardCharsets.UTF_8);
        assertTrue(table.contains("peer not measured: ") && table.contains("apt-get install -y python3-torch"), table);
    }

    private static double round2(double v) {
        return Math.round(v * 100) / 100.0;
    }
}
