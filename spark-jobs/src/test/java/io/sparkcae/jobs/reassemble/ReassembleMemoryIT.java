package io.sparkcae.jobs.reassemble;

import io.sparkcae.jobs.testing.StageDirs;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import javax.imageio.ImageIO;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Whatever prep handles at a heap, reassemble handles at that heap: through the real launcher
 * ({@code deploy/sparkcae}) at its smallest usable memory (SPARKCAE_MEMORY=1200m, a 480 MB heap, two task
 * threads), prep tiles two 2048x2048 RGB photos and reassemble must stitch them back to the very pixels. Holding
 * each sample's patches and float canvas on the heap (two samples at once: ~560 MB) does not fit there.
 */
@Timeout(value = 5, unit = TimeUnit.MINUTES)
class ReassembleMemoryIT {
    private static final int SIZE = 2048;
    private static final int IMAGES = 2;

    @TempDir
    Path tmp;

    @Test
    void reassembleRunsWherePrepRuns() throws Exception {
        Path repo = Path.of(System.getProperty("sparkcae.repo.root", "..")).toAbsolutePath().normalize();
        assertTrue(Files.isExecutable(repo.resolve("deploy/sparkcae")), "no launcher under " + repo);
        Path data = Files.createDirectories(tmp.resolve("photos"));
        for (int i = 0; i < IMAGES; i++) {
            ImageIO.write(photo(i), "png", data.resolve("photo" + i + ".png").toFile());
        }
        Path run = tmp.resolve("run");
        String prep = launch(repo, tmp.resolve("prep"), "prep", "--data", data.toString(), "--run-dir", run.toString(),
                "--set", "patch.size=[64,64]", "--set", "data.image.channels=3");
        String reassemble = launch(repo, tmp.resolve("reassemble"), "reassemble", "--format", "png",
                "--run-dir", run.toString());
        assertFalse(reassemble.contains("sparkcae: error:"), reassemble);
        Path out = StageDirs.output(run, "reassemble");
        for (int i = 0; i < IMAGES; i++) {
            Path file = out.resolve("photo" + i + ".png_0.png");
            assertTrue(Files.isRegularFile(file), "missing " + file + "; prep said:\n" + prep);
            assertSamePixels(ImageIO.read(data.resolve("photo" + i + ".png").toFile()), ImageIO.read(file.toFile()),
                    file.getFileName().toString());
        }
    }

    /** A smooth scene with sensor noise: every pixel differs from its neighbours, so a misplaced patch shows. */
    private static BufferedImage photo(int seed) {
        BufferedImage img = new BufferedImage(SIZE, SIZE, BufferedImage.TYPE_INT_RGB);
        Random noise = new Random(seed);
        for (int y = 0; y < SIZE; y++) {
            for (int x = 0; x < SIZE; x++) {
                int r = (x * 255 / SIZE + seed * 40) & 0xff;
                int g = (y * 255 / SIZE) ^ (x & 0x1f);
                int b = noise.nextInt(256);
                img.setRGB(x, y, r << 16 | g << 8 | b);
            }
        }
        return img;
    }

    private static void assertSamePixels(BufferedImage expected, BufferedImage actual, String name) {
        assertEquals(expected.getWidth(), actual.getWidth(), name);
        assertEquals(expected.getHeight(), actual.getHeight(), name);
        int[] e = expected.getRGB(0, 0, SIZE, SIZE, null, 0, SIZE);
        int[] a = actual.getRGB(0, 0, SIZE, SIZE, null, 0, SIZE);
        for (int i = 0; i < e.length; i++) {
            if ((e[i] & 0xffffff) != (a[i] & 0xffffff)) {
                throw new AssertionError(name + ": pixel (" + i % SIZE + ", " + i / SIZE + ") is "
                        + Integer.toHexString(a[i] & 0xffffff) + ", input " + Integer.toHexString(e[i] & 0xffffff));
            }
        }
    }

    /** Runs the launcher; asserts exit 0 and returns its stderr. */
    private static String launch(Path repo, Path output, String... args) throws IOException, InterruptedException {
        List<String> cmd = new ArrayList<>(List.of("bash", repo.resolve("deploy/sparkcae").toString()));
        cmd.addAll(List.of(args));
        Path err = Path.of(output + ".err");
        ProcessBuilder pb = new ProcessBuilder(cmd).redirectOutput(Path.of(output + ".out").toFile())
                .redirectError(err.toFile());
        pb.environment().put("SPARKCAE_MEMORY", "1200m");
        pb.environment().put("SPARKCAE_MASTER", "local[2]");
        pb.environment().put("SPARK_LOCAL_IP", "127.0.0.1");
        pb.environment().put("OMP_NUM_THREADS", "1");
        Process p = pb.start();
        if (!p.waitFor(150, TimeUnit.SECONDS)) {
            p.destroyForcibly();
            throw new AssertionError(args[0] + " timed out:\n" + Files.readString(err, StandardCharsets.UTF_8));
        }
        String stderr = Files.readString(err, StandardCharsets.UTF_8);
        assertEquals(0, p.exitValue(), args[0] + " at a 480 MB heap:\n" + stderr);
        return stderr;
    }
}
