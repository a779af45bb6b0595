package io.sparkcae.jobs.testing;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * One small real run of the {@code pipeline} command (prep, train, encode, score, report) on a slice of
 * Fashion-MNIST, made once per test JVM and shared by the tests that read its outputs as users do.
 *
 * @param stdout what the command printed on standard output (the stage summaries and the report's URL)
 */
public record SmallRun(Path runDir, int exitCode, String stdout, String err) {
    /** Labels counted as normal by score, so the run has a ROC curve to show (the model saw every label). */
    public static final String NORMAL_LABELS = "[0,1,2,3,4]";
    private static SmallRun shared;

    public static synchronized SmallRun get() throws IOException {
        if (shared == null) {
            Path tmp = Files.createTempDirectory("sparkcae-small-run");
            Runtime.getRuntime().addShutdownHook(new Thread(() -> delete(tmp)));
            shared = pipeline(tmp);
        }
        if (shared.exitCode != 0) {
            throw new AssertionError("the small pipeline run failed: exit " + shared.exitCode + ": " + shared.err);
        }
        return shared;
    }

    private static SmallRun pipeline(Path tmp) throws IOException {
        Path data = FashionMnistSlice.write(tmp.resolve("fmnist"), 600, 200);
        Path run = tmp.resolve("run");
        ByteArrayOutputStream captured = new ByteArrayOutputStream();
        PrintStream console = System.out;
        System.setOut(new PrintStream(new Tee(console, captured), true, StandardCharsets.UTF_8));
        CliRun r;
        try {
            r = CliRun.of("pipeline", "--data", data.toString(), "--run-dir", run.toString(),
                    "--set", "train.epochs=1", "--set", "train.batch-size=32", "--set", "train.averaging-frequency=5",
                    "--set", "prep.records-per-task=400", "--set", "score.residual-maps=4",
                    "--set", "score.normal-labels=" + NORMAL_LABELS);
        } finally {
            System.setOut(console);
        }
        return new SmallRun(run, r.exitCode(), captured.toString(StandardCharsets.UTF_8), r.err());
    }

    private static void delete(Path dir) {
        try (var s = Files.walk(dir)) {
            s.sorted(java.util.Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        } catch (IOException ignored) {
            // a leftover temp dir is harmless
        }
    }

    /** Writes to the console as usual and keeps a copy for the test. */
    private static final class Tee extends OutputStream {
        private final OutputStream a;
        private final OutputStream b;

        Tee(OutputStream a, OutputStream b) {
            this.a = a;
            this.b = b;
        }

        @Override
        public void write(int c) throws IOException {
            a.write(c);
            b.write(c);
        }

        @Override
        public void write(byte[] buf, int off, int len) throws IOException {
            a.write(buf, off, len);
            b.write(buf, off, len);
        }

        @Override
        public void flush() throws IOException {
            a.flush();
            b.flush();
        }
    }
}
