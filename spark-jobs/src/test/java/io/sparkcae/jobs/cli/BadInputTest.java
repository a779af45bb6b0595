package io.sparkcae.jobs.cli;

import io.sparkcae.jobs.testing.StageDirs;
import io.sparkcae.jobs.testing.CliRun;
import io.sparkcae.jobs.testing.FashionMnistSlice;
import io.sparkcae.jobs.testing.LocalSpark;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

import javax.imageio.ImageIO;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Every bad input gives one error line naming the file and the problem, the documented exit code, and
 * leaves no output behind (neither the stage directory nor a temp directory).
 */
@ExtendWith(LocalSpark.class)
@Timeout(value = 5, unit = TimeUnit.MINUTES)
class BadInputTest {
    @TempDir
    Path tmp;

    private CliRun prep(Path input, String... sets) {
        List<String> a = new ArrayList<>(List.of("prep", "--data", input.toString(), "--run-dir", tmp.resolve("run").toString()));
        for (String s : sets) {
            a.add("--set");
            a.add(s);
        }
        return CliRun.of(a.toArray(String[]::new));
    }

    private void assertFailed(CliRun r, int code, String... mustMention) throws IOException {
        assertEquals(code, r.exitCode(), r.toString());
        String firstLine = r.err().lines().findFirst().orElse("");
        assertTrue(firstLine.startsWith("sparkcae: error: "), r.err());
        for (String m : mustMention) {
            assertTrue(firstLine.contains(m), "'" + m + "' missing from: " + firstLine);
        }
        Path run = tmp.resolve("run");
        if (Files.exists(run)) {
            try (var s = Files.list(run)) {
                List<String> left = s.map(p -> p.getFileName().toString())
                        .filter(n -> !n.equals("prep") && !n.equals("logs")).toList();
                assertTrue(left.isEmpty(), "left behind: " + left);
            }
        }
    }

    private void assertNoPrepOutput() {
        assertFalse(Files.exists(tmp.resolve("run/prep")), "no partial prep output");
    }

    @Test
    void missingInputPath() throws IOException {
        Path missing = tmp.resolve("does-not-exist");
        assertFailed(prep(missing), 2, missing.toString());
        assertNoPrepOutput();
    }

    @Test
    void idxWithWrongMagicNumber() throws IOException {
        Path f = tmp.resolve("bad-images-idx3-ubyte");
        ByteBuffer b = ByteBuffer.allocate(16 + 4 * 4);
        b.putInt(0x00000999).putInt(1).putInt(4).putInt(4);
        Files.write(f, b.array());
        assertFailed(prep(f), 3, f.getFileName().toString(), "magic");
        assertNoPrepOutput();
    }

    @Test
    void truncatedIdx() throws IOException {
        Path f = tmp.resolve("short-images-idx3-ubyte");
        ByteBuffer b = ByteBuffer.allocate(16 + 100);
        b.putInt(0x00000803).putInt(10).putInt(28).putInt(28);
        Files.write(f, b.array());
        assertFailed(prep(f), 3, f.getFileName().toString(), "truncated");
        assertNoPrepOutput();
    }

    @Test
    void imagesOfMixedSizesWithoutResizePolicy() throws IOException {
        Path dir = Files.createDirectories(tmp.resolve("imgs"));
        ImageIO.write(new BufferedImage(16, 16, BufferedImage.TYPE_BYTE_GRAY), "png", dir.resolve("a.png").toFile());
        ImageIO.write(new BufferedImage(20, 16, BufferedImage.TYPE_BYTE_GRAY), "png", dir.resolve("b.png").toFile());
        assertFailed(prep(dir), 3, "b.png", "resize-policy");
        assertNoPrepOutput();
    }

    @Test
    void mixedSizesAreAcceptedWithAResizePolicy() throws IOException {
        Path dir = Files.createDirectories(tmp.resolve("imgs"));
        for (int i = 0; i < 12; i++) {
            ImageIO.write(new BufferedImage(16 + i % 2 * 4, 16, BufferedImage.TYPE_BYTE_GRAY), "png",
                    dir.resolve("img" + i + ".png").toFile());
        }
        CliRun r = prep(dir, "data.image.resize-policy=resize", "data.val-fraction=0.3");
        assertEquals(0, r.exitCode(), r.toString());
        assertTrue(Files.exists(StageDirs.output(tmp.resolve("run"), "prep").resolve("patches/_manifest.json")));
    }

    @Test
    void aTabInAnImageNameIsJustAName() throws IOException {
        Path dir = Files.createDirectories(tmp.resolve("imgs"));
        for (String n : List.of("a\tb.png", "c.png", "d.png")) {
            ImageIO.write(new BufferedImage(16, 16, BufferedImage.TYPE_BYTE_GRAY), "png", dir.resolve(n).toFile());
        }
        CliRun r = prep(dir, "patch.size=[8,8]", "data.val-fraction=0.3");
        assertEquals(0, r.exitCode(), r.toString());
    }

    @Test
    void imagesUnderHiddenNamesAreSkippedButCountedInMetrics() throws IOException {
        Path dir = Files.createDirectories(tmp.resolve("imgs"));
        for (String n : List.of("cats/a.png", "cats/b.png", "cats/c.png", ".cache/cats/a.png", "cats/._d.png")) {
            Path f = dir.resolve(n);
            Files.createDirectories(f.getParent());
            ImageIO.write(new BufferedImage(16, 16, BufferedImage.TYPE_BYTE_GRAY), "png", f.toFile());
        }
        CliRun r = prep(dir, "patch.size=[8,8]", "data.val-fraction=0.3");
        assertEquals(0, r.exitCode(), r.toString());
        String metrics = Files.readString(StageDirs.output(tmp.resolve("run"), "prep").resolve("metrics.json"));
        assertTrue(metrics.matches("(?s).*\"skipped_hidden_files\" : 2\\b.*"), metrics);
    }

    @Test
    void emptyImageFolder() throws IOException {
        Path dir = Files.createDirectories(tmp.resolve("empty"));
        assertFailed(prep(dir), 3, dir.toString(), "no images");
        assertNoPrepOutput();
    }

    @Test
    void emptyValidationSplitStopsTraining() throws IOException {
        Path data = FashionMnistSlice.write(tmp.resolve("fm"), 200, 50);
        assertEquals(0, prep(data, "data.val-fraction=0").exitCode());
        CliRun r = CliRun.of("train", "--data", data.toString(), "--run-dir", tmp.resolve("run").toString(),
                "--set", "data.val-fraction=0");
        assertFailed(r, 3, "val split is empty");
        assertFalse(Files.exists(tmp.resolve("run/train")));
    }

    @Test
    void modelOfAnotherInputShapeIsRefused() throws IOException {
        Path data = FashionMnistSlice.write(tmp.resolve("fm"), 300, 60);
        String run = tmp.resolve("run").toString();
        assertEquals(0, CliRun.of("prep", "--data", data.toString(), "--run-dir", run).exitCode());
        assertEquals(0, CliRun.of("train", "--data", data.toString(), "--run-dir", run,
                "--set", "train.epochs=1", "--set", "train.batch-size=32").exitCode());
        // a second dataset of 16x16 crops of the same images
        String run2 = tmp.resolve("run2").toString();
        assertEquals(0, CliRun.of("prep", "--data", data.toString(), "--run-dir", run2, "--set", "patch.size=[16,16]")
                .exitCode());
        CliRun r = CliRun.of("encode", "--data", data.toString(), "--run-dir", run2, "--set", "patch.size=[16,16]",
                "--model", tmp.resolve("run/train").toString());
        assertEquals(2, r.exitCode(), r.toString());
        assertTrue(r.err().contains("1x28x28") && r.err().contains("1x16x16"), r.err());
        assertFalse(Files.exists(tmp.resolve("run2/encode")));
    }

    @Test
    void outputHoldingADifferentRunIsRefused() throws IOException {
        Path data = FashionMnistSlice.write(tmp.resolve("fm"), 100, 20);
        String run = tmp.resolve("run").toString();
        assertEquals(0, CliRun.of("prep", "--data", data.toString(), "--run-dir", run).exitCode());
        CliRun r = CliRun.of("prep", "--data", data.toString(), "--run-dir", run, "--set", "data.val-fraction=0.3");
        assertEquals(2, r.exitCode(), r.toString());
        assertTrue(r.err().contains(tmp.resolve("run/prep").toString()) && r.err().contains("different run"), r.err());
        CliRun o = CliRun.of("prep", "--data", data.toString(), "--run-dir", run, "--set", "data.val-fraction=0.3",
                "--if-exists", "overwrite");
        assertEquals(0, o.exitCode(), o.toString());
        try (var s = Files.list(tmp.resolve("run"))) {
            assertEquals(List.of("prep"), s.map(p -> p.getFileName().toString()).filter(n -> !n.equals("logs")).toList());
        }
    }

    @Test
    void unknownConfigKeyAndBadValueAreUsageErrors() throws IOException {
        Path data = tmp.resolve("unused");
        assertFailed(prep(data, "train.epocs=2"), 2, "train.epocs");
        assertFailed(prep(data, "train.epochs=-2"), 2, "sparkcae.train.epochs");
    }
}
