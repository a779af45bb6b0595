package io.sparkcae.jobs.train;

import io.sparkcae.jobs.testing.CliProcess;
import io.sparkcae.jobs.testing.CliRun;
import io.sparkcae.jobs.testing.FashionMnistSlice;
import org.apache.commons.io.FileUtils;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Training into a run dir on a file system that fills up (a small tmpfs holding the prep output and little
 * more) ends with one error line naming the output and the full device, exit 5, and leaves no temporary
 * data: no attempt directory, no half-written checkpoint (complete checkpoints may stay, for --resume).
 */
@Timeout(value = 6, unit = TimeUnit.MINUTES)
class DiskFullTrainTest {
    @TempDir
    Path tmp;

    @Test
    void trainOnAFullDiskFailsCleanly() throws Exception {
        boolean root = "root".equals(System.getProperty("user.name"));
        if (!root) {
            System.out.println("DiskFullTrainTest skipped: mounting a tmpfs needs root (user "
                    + System.getProperty("user.name") + ")");
        }
        Assumptions.assumeTrue(root, "mounting a tmpfs needs root");
        Path data = FashionMnistSlice.write(tmp.resolve("fm"), 600, 100);
        Path prepped = tmp.resolve("prepped");
        CliRun prep = CliRun.of("prep", "--data", data.toString(), "--run-dir", prepped.toString());
        assertEquals(0, prep.exitCode(), prep.toString());

        Path full = Files.createDirectories(tmp.resolve("full"));
        long prepBytes = FileUtils.sizeOfDirectory(prepped.resolve("prep").toFile());
        mount(full, prepBytes + 48 * 1024);
        try {
            FileUtils.copyDirectory(prepped.resolve("prep").toFile(), full.resolve("prep").toFile());
            try (CliProcess train = CliProcess.start(tmp.resolve("train.log"), "train", "--data", data.toString(),
                    "--run-dir", full.toString(), "--set", "train.epochs=1", "--set", "train.batch-size=64")) {
                int code = train.awaitExit(5, TimeUnit.MINUTES);
                String out = train.output();
                List<String> errors = out.lines().filter(l -> l.startsWith("sparkcae: error: ")).toList();
                assertEquals(5, code, out);
                assertEquals(1, errors.size(), out);
                assertTrue(errors.get(0).toLowerCase(java.util.Locale.ROOT).contains("no space left"), errors.get(0));
                assertTrue(errors.get(0).contains(full.toString()), "names the path: " + errors.get(0));
            }
            assertFalse(Files.exists(full.resolve("train")), "no train attempt left");
            try (var s = Files.walk(full)) {
                List<Path> temps = s.filter(p -> p.getFileName().toString().contains(".tmp")).toList();
                assertEquals(List.of(), temps, "no temporary data left");
            }
        } finally {
            new ProcessBuilder("umount", full.toString()).inheritIO().start().waitFor(30, TimeUnit.SECONDS);
        }
    }

    private static void mount(Path dir, long bytes) throws Exception {
        Process p = new ProcessBuilder("mount", "-t", "tmpfs", "-o", "size=" + bytes, "tmpfs", dir.toString())
                .redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes());
        assertTrue(p.waitFor(30, TimeUnit.SECONDS) && p.exitValue() == 0, "mount tmpfs: " + out);
    }
}
