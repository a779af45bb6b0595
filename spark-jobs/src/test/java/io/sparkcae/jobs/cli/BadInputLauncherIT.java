package io.sparkcae.jobs.cli;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.sparkcae.core.config.DataConf;
import io.sparkcae.core.config.LayeredConfigLoader;
import io.sparkcae.jobs.common.ModelMetadata;
import io.sparkcae.prep.samples.SimParams;
import io.sparkcae.prep.samples.SimulationWriter;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.TestFactory;
import org.junit.jupiter.api.Timeout;

import javax.imageio.ImageIO;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.TreeSet;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import java.util.zip.GZIPOutputStream;
import java.util.zip.ZipEntry;
import java.util.zip.ZipOutputStream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Every kind of bad input, config, environment, stage order, model, checkpoint and file name, through the real
 * launcher ({@code deploy/sparkcae}) in its own process, read as a person reads it: the last stderr line is the
 * one {@code sparkcae: error:} line naming the culprit, stderr holds no stack trace, the exit code is the
 * documented one (docs/errors.md lists the same table), and the run dir holds nothing afterwards but the run's log
 * (a prepared run dir: exactly what it held before). Cases run two at a time; most are --dry-run or fail before
 * Spark starts, so they cost a JVM start each.
 */
@Timeout(value = 15, unit = TimeUnit.MINUTES)
class BadInputLauncherIT {
    private static final int THREADS = 2;
    private static Path root;
    private static Path repo;
    private static Path prepared;
    private static ExecutorService pool;

    /** What a case runs: the launcher's arguments, its run dir and extra environment. */
    record Invocation(List<String> args, Path runDir, Map<String, String> env) {
        Invocation(Path runDir, String... args) {
            this(List.of(args), runDir, Map.of());
        }
    }

    interface Setup {
        Invocation make(Path dir) throws Exception;
    }

    /** One kind of failure: name, documented exit code, words the error line must contain. */
    record Case(String name, int exit, List<String> mentions, Setup setup) {
    }

    /** What the launcher did. */
    record Outcome(int exit, String stderr, List<String> leftBehind, String listingBefore, String listingAfter) {
    }

    @BeforeAll
    static void launcher() throws Exception {
        repo = Path.of(System.getProperty("sparkcae.repo.root", "..")).toAbsolutePath().normalize();
        assertTrue(Files.isExecutable(repo.resolve("deploy/sparkcae")), "no launcher under " + repo);
        root = Files.createTempDirectory("sparkcae-bad-input-");
        pool = Executors.newFixedThreadPool(THREADS);
        // One real prep output, copied into the cases that need a stage before theirs.
        Path data = idx(root.resolve("prepared-data"), "p-images-idx3-ubyte", 40, 8, 8, 0);
        prepared = root.resolve("prepared-run");
        Outcome o = launch(new Invocation(prepared, "prep", "--data", data.toString(), "--run-dir", prepared.toString(),
                "--set", "patch.size=[8,8]"), root.resolve("prepared-log"));
        assertEquals(0, o.exit(), "preparing the shared prep output failed: " + o.stderr());
    }

    @AfterAll
    static void cleanUp() throws IOException {
        pool.shutdownNow();
        if (root != null) {
            try (Stream<Path> s = Files.walk(root)) {
                s.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
            }
        }
    }

    @TestFactory
    Stream<DynamicTest> everyBadInputEndsInOneErrorLine() {
        List<Case> cases = cases();
        assertTrue(cases.size() >= 60, "at least 60 kinds, got " + cases.size());
        assertEquals(cases.size(), cases.stream().map(Case::name).distinct().count(), "case names are unique");
        Map<Case, Future<Outcome>> running = new LinkedHashMap<>();
        for (Case c : cases) {
            running.put(c, pool.submit(() -> {
                Path dir = Files.createDirectories(root.resolve(c.name()));
                Invocation inv = c.setup().make(dir);
                return launch(inv, dir.resolve("launcher-output"));
            }));
        }
        return running.entrySet().stream().map(e -> DynamicTest.dynamicTest(e.getKey().name(), () -> {
            Case c = e.getKey();
            Outcome o = e.getValue().get(3, TimeUnit.MINUTES);
            String err = o.stderr();
            List<String> lines = err.lines().filter(l -> !l.isBlank()).toList();
            String last = lines.isEmpty() ? "" : lines.get(lines.size() - 1);
            assertTrue(last.startsWith("sparkcae: error: "), c.name() + ": last stderr line: " + last + "\n" + err);
            assertFalse(err.contains("\tat ") || err.contains("Exception in thread"),
                    c.name() + ": stack trace on stderr:\n" + err);
            assertEquals(1, lines.stream().filter(l -> l.startsWith("sparkcae: error:")).count(),
                    c.name() + ": exactly one error line:\n" + err);
            for (String m : c.mentions()) {
                assertTrue(last.contains(m), c.name() + ": '" + m + "' missing from: " + last);
            }
            assertEquals(c.exit(), o.exit(), c.name() + ": exit code; stderr:\n" + err);
            assertTrue(o.leftBehind().isEmpty(), c.name() + ": left in the run dir: " + o.leftBehind());
            assertEquals(o.listingBefore(), o.listingAfter(), c.name() + ": a prepared run dir changed");
        }));
    }

    // ---- running the launcher -------------------------------------------------------------------------------

    private static Outcome launch(Invocation inv, Path output) throws Exception {
        String before = listing(inv.runDir());
        boolean existed = inv.runDir() != null && Files.exists(inv.runDir());
        List<String> cmd = new ArrayList<>(List.of("bash", repo.resolve("deploy/sparkcae").toString()));
        cmd.addAll(inv.args());
        Path errFile = Path.of(output + ".err");
        ProcessBuilder pb = new ProcessBuilder(cmd).directory(output.getParent().toFile())
                .redirectOutput(Path.of(output + ".out").toFile()).redirectError(errFile.toFile());
        pb.environment().put("SPARKCAE_MEMORY", "2g");
        pb.environment().put("SPARK_LOCAL_IP", "127.0.0.1");
        pb.environment().put("OMP_NUM_THREADS", "1");
        pb.environment().put("SPARKCAE_MASTER", "local[2]");
        pb.environment().putAll(inv.env());
        Process p = pb.start();
        if (!p.waitFor(150, TimeUnit.SECONDS)) {
            p.destroyForcibly();
            return new Outcome(-1, "timed out\n" + Files.readString(errFile), List.of(), "", "");
        }
        String after = listing(inv.runDir());
        List<String> left = new ArrayList<>();
        if (!existed && inv.runDir() != null && Files.isDirectory(inv.runDir())) {
            // a failed stage leaves its log (logs/*.log) and nothing else, hidden temp folders included
            try (Stream<Path> s = Files.walk(inv.runDir())) {
                s.filter(f -> !f.equals(inv.runDir()))
                        .map(f -> inv.runDir().relativize(f).toString())
                        .filter(r -> !r.equals("logs") && !(r.startsWith("logs/") && r.endsWith(".log")))
                        .forEach(left::add);
            }
        }
        return new Outcome(p.exitValue(), Files.readString(errFile, StandardCharsets.UTF_8), left,
                existed ? before : "", existed ? after : "");
    }

    /** Every path under a run dir except its logs, sorted: what a failed stage must leave unchanged. */
    private static String listing(Path runDir) throws IOException {
        if (runDir == null || !Files.isDirectory(runDir)) {
            return "";
        }
        try (Stream<Path> s = Files.walk(runDir)) {
            return s.map(f -> runDir.relativize(f).toString()).filter(r -> !r.startsWith("logs"))
                    .collect(Collectors.toCollection(TreeSet::new)).toString();
        }
    }

    // ---- the cases ------------------------------------------------------------------------------------------

    private static List<Case> cases() {
        List<Case> c = new ArrayList<>();
        // CLI
        c.add(new Case("cli-unknown-option", 2, List.of("--bogus"), d -> prepArgs(d, "--bogus")));
        c.add(new Case("cli-unknown-subcommand", 2, List.of("frobnicate"), d -> new Invocation(null, "frobnicate")));
        c.add(new Case("cli-no-subcommand", 2, List.of("subcommand"), d -> new Invocation(null)));
        c.add(new Case("cli-bad-if-exists", 2, List.of("--if-exists"), d -> prepArgs(d, "--if-exists", "sometimes")));
        c.add(new Case("cli-bad-log-format", 2, List.of("xml"), d -> prepArgs(d, "--log-format", "xml")));
        c.add(new Case("cli-set-without-equals", 2, List.of("train.epochs"), d -> prepArgs(d, "--set", "train.epochs")));
        c.add(new Case("cli-missing-option-value", 2, List.of("--run-dir"), d -> new Invocation(null, "prep", "--run-dir")));
        c.add(new Case("cli-simulate-without-out", 2, List.of("--out"), d -> new Invocation(null, "simulate")));
        c.add(new Case("cli-reassemble-bad-format", 2, List.of("gif"), d -> withPrepared(d,
                "reassemble", "--format", "gif")));
        c.add(new Case("cli-bad-blend", 2, List.of("--blend"), d -> withPrepared(d, "reassemble", "--blend", "square")));
        // configuration
        c.add(new Case("config-unknown-key", 2, List.of("epochz"), d -> prepArgs(d, "--set", "train.epochz=3")));
        c.add(new Case("config-wrong-type", 2, List.of("train.epochs"), d -> prepArgs(d, "--set", "train.epochs=many")));
        c.add(new Case("config-bad-enum", 2, List.of("bottleneck"), d -> prepArgs(d, "--set", "model.bottleneck=cube")));
        c.add(new Case("config-val-fraction-out-of-range", 2, List.of("val-fraction"),
                d -> prepArgs(d, "--set", "data.val-fraction=1.5")));
        c.add(new Case("config-file-missing", 2, List.of("nope.conf"), d -> prepArgs(d, "--config", d.resolve("nope.conf").toString())));
        c.add(new Case("config-file-syntax", 2, List.of("broken.conf"), d -> prepArgs(d, "--config",
                write(d.resolve("broken.conf"), "sparkcae { train { epochs = ").toString())));
        c.add(new Case("config-unresolved-variable", 2, List.of("SPARKCAE_TEST_UNSET_VARIABLE"), d -> prepArgs(d, "--config",
                write(d.resolve("var.conf"), "sparkcae.train.epochs = ${SPARKCAE_TEST_UNSET_VARIABLE}\n").toString())));
        c.add(new Case("config-unknown-key-in-file", 2, List.of("lerning-rate"), d -> prepArgs(d, "--config",
                write(d.resolve("typo.conf"), "train.lerning-rate = 0.1\n").toString())));
        c.add(new Case("config-negative-epochs", 2, List.of("epochs"), d -> prepArgs(d, "--set", "train.epochs=-1")));
        c.add(new Case("config-zero-batch-size", 2, List.of("batch-size"), d -> prepArgs(d, "--set", "train.batch-size=0")));
        c.add(new Case("config-patch-rank-3d-on-2d", 2, List.of("patch.size"), d -> new Invocation(d.resolve("run"),
                "prep", "--dry-run", "--data", idx(d, "x-images-idx3-ubyte", 4, 8, 8, 0).toString(),
                "--run-dir", d.resolve("run").toString(), "--set", "patch.size=[4,4,4]")));
        c.add(new Case("config-patch-rank-2d-on-3d", 2, List.of("patch.size"), d -> runPrep(d,
                npy(d.resolve("v.npy"), new int[]{4, 16, 16}, Float.NaN, 0), true, "patch.size=[8,8]")));
        // IDX
        c.add(new Case("idx-wrong-magic", 3, List.of("magic"), d -> runPrep(d, idxBytes(d, "m-images-idx3-ubyte",
                ByteBuffer.allocate(16 + 64).putInt(0x999).putInt(1).putInt(8).putInt(8).array()), true)));
        c.add(new Case("idx-truncated", 3, List.of("truncated"), d -> runPrep(d, idxBytes(d, "t-images-idx3-ubyte",
                java.util.Arrays.copyOf(idxData(4, 8, 8), 16 + 100)), true)));
        c.add(new Case("idx-truncated-gzip", 3, List.of("truncated"), d -> runPrep(d, gzipTruncated(d), false)));
        c.add(new Case("idx-trailing-data", 3, List.of("after the 4 records"), d -> runPrep(d,
                idx(d, "e-images-idx3-ubyte", 4, 8, 8, 100), true)));
        c.add(new Case("idx-trailing-data-gzip", 3, List.of("after the 4 records"), d -> runPrep(d,
                gzip(d.resolve("g-images-idx3-ubyte.gz"), java.util.Arrays.copyOf(idxData(4, 8, 8), 16 + 4 * 64 + 50)), false)));
        c.add(new Case("idx-empty-file", 3, List.of("z-images-idx3-ubyte"), d -> runPrep(d,
                idxBytes(d, "z-images-idx3-ubyte", new byte[0]), true)));
        c.add(new Case("idx-label-count-mismatch", 3, List.of("labels"), d -> {
            Path dir = Files.createDirectories(d.resolve("idx"));
            idx(dir, "train-images-idx3-ubyte", 4, 8, 8, 0);
            idxBytes(dir, "train-labels-idx1-ubyte", ByteBuffer.allocate(8 + 3).putInt(0x801).putInt(3).array());
            return runPrep(d, dir, true);
        }));
        c.add(new Case("idx-gzip-garbage", 3, List.of("b-images-idx3-ubyte.gz"), d -> runPrep(d,
                idxBytes(d, "b-images-idx3-ubyte.gz", new byte[]{0x1f, (byte) 0x8b, 8, 0, 1, 2, 3, 4, 5, 6, 7, 8, 9}), true)));
        // images
        c.add(new Case("images-empty-folder", 3, List.of("no images"), d -> runPrep(d,
                Files.createDirectories(d.resolve("empty")), true)));
        c.add(new Case("images-only-hidden", 3, List.of("no images"), d -> {
            Path dir = Files.createDirectories(d.resolve("imgs/.cache"));
            png(dir.resolve("a.png"), 16, 16);
            return runPrep(d, d.resolve("imgs"), true);
        }));
        c.add(new Case("images-mixed-sizes", 3, List.of("resize-policy"), d -> {
            Path dir = Files.createDirectories(d.resolve("imgs"));
            png(dir.resolve("a.png"), 16, 16);
            png(dir.resolve("b.png"), 20, 16);
            return runPrep(d, dir, true);
        }));
        c.add(new Case("images-not-an-image", 3, List.of("b.png"), d -> {
            Path dir = Files.createDirectories(d.resolve("imgs"));
            png(dir.resolve("a.png"), 16, 16);
            Files.write(dir.resolve("b.png"), random(300));
            return runPrep(d, dir, true);
        }));
        c.add(new Case("images-smaller-than-patch", 3, List.of("a.png"), d -> {
            Path dir = Files.createDirectories(d.resolve("imgs"));
            png(dir.resolve("a.png"), 8, 8);
            return runPrep(d, dir, true, "patch.size=[16,16]");
        }));
        c.add(new Case("images-smaller-than-patch-run", 3, List.of("a.png"), d -> {
            Path dir = Files.createDirectories(d.resolve("imgs"));
            png(dir.resolve("a.png"), 8, 8);
            return runPrep(d, dir, false, "patch.size=[16,16]");
        }));
        c.add(new Case("images-empty-file", 3, List.of("e.png"), d -> {
            Path dir = Files.createDirectories(d.resolve("imgs"));
            png(dir.resolve("a.png"), 16, 16);
            Files.write(dir.resolve("e.png"), new byte[0]);
            return runPrep(d, dir, true);
        }));
        // file names
        c.add(new Case("filename-colon", 3, List.of("a:b.png", "rename"), d -> {
            Path dir = Files.createDirectories(d.resolve("imgs"));
            png(dir.resolve("a:b.png"), 16, 16);
            png(dir.resolve("c.png"), 16, 16);
            return runPrep(d, dir, true);
        }));
        c.add(new Case("filename-colon-run", 3, List.of("a:b.png", "rename"), d -> {
            Path dir = Files.createDirectories(d.resolve("imgs"));
            png(dir.resolve("a:b.png"), 16, 16);
            png(dir.resolve("c.png"), 16, 16);
            return runPrep(d, dir, false);
        }));
        c.add(new Case("filename-colon-single-file", 2, List.of("a:b.npy", "rename"), d -> runPrep(d,
                npy(d.resolve("a:b.npy"), new int[]{4, 16, 16}, 0f, -1), true, "patch.size=[4,8,8]")));
        // NPY
        c.add(new Case("npy-nan", 3, List.of("v.npy"), d -> runPrep(d,
                npy(d.resolve("v.npy"), new int[]{4, 16, 16}, Float.NaN, 7), false, "patch.size=[4,8,8]")));
        c.add(new Case("npy-inf", 3, List.of("v.npy"), d -> runPrep(d,
                npy(d.resolve("v.npy"), new int[]{4, 16, 16}, Float.POSITIVE_INFINITY, 300), false, "patch.size=[4,8,8]")));
        c.add(new Case("npy-bad-magic", 3, List.of("m.npy"), d -> runPrep(d,
                write(d.resolve("m.npy"), "not numpy at all, just text"), true, "patch.size=[4,8,8]")));
        c.add(new Case("npy-truncated", 3, List.of("truncated"), d -> {
            Path f = npy(d.resolve("t.npy"), new int[]{4, 16, 16}, 0f, -1);
            byte[] b = Files.readAllBytes(f);
            Files.write(f, java.util.Arrays.copyOf(b, b.length - 100));
            return runPrep(d, f, true, "patch.size=[4,8,8]");
        }));
        c.add(new Case("npy-unsupported-dtype", 3, List.of("c.npy"), d -> runPrep(d,
                npyRaw(d.resolve("c.npy"), "<c8", new int[]{4, 16, 16}, new byte[4 * 16 * 16 * 8]), true, "patch.size=[4,8,8]")));
        c.add(new Case("npy-header-garbage", 3, List.of("h.npy"), d -> runPrep(d,
                npyHeader(d.resolve("h.npy"), "{'descr': '<f4', 'fortran_order': False, 'shape': (4, x, 16), }"), true,
                "patch.size=[4,8,8]")));
        // HDF5
        c.add(new Case("hdf5-not-hdf5", 3, List.of("r.h5"), d -> runPrep(d, bytes(d.resolve("r.h5"), random(2000)), true,
                "patch.size=[4,4,4]")));
        c.add(new Case("hdf5-missing-dataset", 3, List.of("/nope"), d -> runPrep(d, simulatedH5(d), true,
                "patch.size=[4,4,4]", "data.hdf5-dataset=/nope")));
        c.add(new Case("hdf5-truncated", 3, List.of(".h5"), d -> {
            Path f = simulatedH5(d);
            byte[] b = Files.readAllBytes(f);
            Files.write(f, java.util.Arrays.copyOf(b, b.length / 3));
            return runPrep(d, f, true, "patch.size=[4,4,4]");
        }));
        // raw
        c.add(new Case("raw-missing-sidecar", 3, List.of("v.json"), d -> runPrep(d, bytes(d.resolve("v.raw"),
                new byte[4 * 8 * 8 * 8]), true, "patch.size=[4,4,4]")));
        c.add(new Case("raw-size-mismatch", 3, List.of("v.raw"), d -> {
            write(d.resolve("v.json"), "{\"shape\": [8, 8, 8], \"dtype\": \"float32\", \"byteOrder\": \"little\"}");
            return runPrep(d, bytes(d.resolve("v.raw"), new byte[1000]), true, "patch.size=[4,4,4]");
        }));
        c.add(new Case("raw-sidecar-garbage", 3, List.of("v.json"), d -> {
            write(d.resolve("v.json"), "{shape: oops");
            return runPrep(d, bytes(d.resolve("v.raw"), new byte[4 * 8 * 8 * 8]), true, "patch.size=[4,4,4]");
        }));
        c.add(new Case("raw-unknown-dtype", 3, List.of("float128"), d -> {
            write(d.resolve("v.json"), "{\"shape\": [8, 8, 8], \"dtype\": \"float128\", \"byteOrder\": \"little\"}");
            return runPrep(d, bytes(d.resolve("v.raw"), new byte[4 * 8 * 8 * 8]), true, "patch.size=[4,4,4]");
        }));
        // TIFF
        c.add(new Case("tiff-garbage", 3, List.of("b.tif"), d -> {
            Path dir = Files.createDirectories(d.resolve("imgs"));
            png(dir.resolve("a.png"), 16, 16);
            Files.write(dir.resolve("b.tif"), random(500));
            return runPrep(d, dir, true);
        }));
        c.add(new Case("tiff-truncated", 3, List.of("t.tif"), d -> {
            Path dir = Files.createDirectories(d.resolve("imgs"));
            Path t = dir.resolve("t.tif");
            ImageIO.write(new BufferedImage(64, 64, BufferedImage.TYPE_BYTE_GRAY), "tiff", t.toFile());
            byte[] b = Files.readAllBytes(t);
            Files.write(t, java.util.Arrays.copyOf(b, 40));
            return runPrep(d, dir, true);
        }));
        // environment
        c.add(new Case("env-input-missing", 2, List.of("does-not-exist"), d -> runPrep(d, d.resolve("does-not-exist"), true)));
        c.add(new Case("env-input-unknown-scheme", 2, List.of("foo"), d -> new Invocation(d.resolve("run"), "prep",
                "--dry-run", "--data", "foo://host/data", "--run-dir", d.resolve("run").toString())));
        c.add(new Case("env-run-dir-under-proc", 2, List.of("/proc/"), d -> new Invocation(null, "prep",
                "--data", idx(d, "x-images-idx3-ubyte", 4, 8, 8, 0).toString(), "--run-dir",
                "/proc/sparkcae-run-" + d.getFileName(), "--set", "patch.size=[8,8]")));
        c.add(new Case("env-run-dir-parent-is-file", 2, List.of("is a file"), d -> new Invocation(null, "prep",
                "--data", idx(d, "x-images-idx3-ubyte", 4, 8, 8, 0).toString(), "--run-dir",
                write(d.resolve("afile"), "x").resolve("run").toString(), "--set", "patch.size=[8,8]")));
        c.add(new Case("env-run-dir-unknown-scheme", 2, List.of("bogus"), d -> new Invocation(null, "prep",
                "--data", idx(d, "x-images-idx3-ubyte", 4, 8, 8, 0).toString(), "--run-dir", "bogus://x/run",
                "--set", "patch.size=[8,8]")));
        c.add(new Case("env-run-dir-dry-run-under-proc", 2, List.of("/proc/"), d -> new Invocation(null, "train",
                "--dry-run", "--run-dir", "/proc/sparkcae-dry-" + d.getFileName())));
        c.add(new Case("env-reassemble-sample-beyond-heap", 5, List.of("reassemble needs about", "SPARKCAE_MEMORY="), d -> {
            // reassemble holds a band one window deep; with whole-sample windows that is the whole sample in double
            // precision, which a 3200x3200 image at a 520 MB heap does not get: stopped before reading, naming the
            // memory to give. Prep gets more heap: at 520 MB its one 41 MB patch row fits only now and then
            Path dir = Files.createDirectories(d.resolve("big"));
            BufferedImage img = new BufferedImage(3200, 3200, BufferedImage.TYPE_BYTE_GRAY);
            for (int y = 0; y < 3200; y += 7) {
                for (int x = 0; x < 3200; x += 5) {
                    img.getRaster().setSample(x, y, 0, (x * 7 + y) & 0xff);
                }
            }
            ImageIO.write(img, "png", dir.resolve("big.png").toFile());
            Path run = d.resolve("run");
            Map<String, String> small = Map.of("SPARKCAE_MEMORY", "1300m");
            Outcome prep = launch(new Invocation(List.of("prep", "--data", dir.toString(), "--run-dir", run.toString()),
                    run, Map.of("SPARKCAE_MEMORY", "3g")), d.resolve("prep-output"));
            assertEquals(0, prep.exit(), "prep of the big image: " + prep.stderr());
            return new Invocation(List.of("reassemble", "--format", "png", "--run-dir", run.toString()), run, small);
        }));
        // stage order
        c.add(new Case("order-train-before-prep", 2, List.of("sparkcae prep"), d -> new Invocation(d.resolve("run"),
                "train", "--dry-run", "--run-dir", d.resolve("run").toString())));
        c.add(new Case("order-train-before-prep-run", 2, List.of("sparkcae prep"), d -> new Invocation(d.resolve("run"),
                "train", "--run-dir", d.resolve("run").toString())));
        c.add(new Case("order-encode-before-train", 2, List.of("sparkcae train"), d -> withPrepared(d, "encode", "--dry-run")));
        c.add(new Case("order-score-before-train", 2, List.of("sparkcae train"), d -> withPrepared(d, "score", "--dry-run")));
        c.add(new Case("order-reassemble-before-prep", 2, List.of("sparkcae prep"), d -> new Invocation(d.resolve("run"),
                "reassemble", "--dry-run", "--run-dir", d.resolve("run").toString())));
        c.add(new Case("order-prep-output-exists", 2, List.of("already exists"), d -> {
            Invocation inv = withPrepared(d, "prep", "--set", "patch.size=[4,4]");
            List<String> a = new ArrayList<>(inv.args());
            a.addAll(List.of("--data", root.resolve("prepared-data/p-images-idx3-ubyte").toString()));
            return new Invocation(a, inv.runDir(), Map.of());
        }));
        c.add(new Case("order-model-does-not-fit-patches", 2, List.of("encoder-channels", "1x8x8"), d -> withPrepared(d,
                "train", "--dry-run", "--set", "model.encoder-channels=[4,4,4,4,4]")));
        // models
        c.add(new Case("model-missing", 2, List.of("no such model"), d -> withPrepared(d, "encode", "--dry-run",
                "--model", d.resolve("nope").toString())));
        c.add(new Case("model-is-a-file", 2, List.of("is a file"), d -> withPrepared(d, "encode", "--dry-run",
                "--model", bytes(d.resolve("random.bin"), random(1000)).toString())));
        c.add(new Case("model-dir-without-zip", 2, List.of("not a model directory"), d -> {
            Path m = Files.createDirectories(d.resolve("model"));
            write(m.resolve("model.json"), modelJson(ModelMetadata.FORMAT_VERSION, new int[]{1, 8, 8}));
            return withPrepared(d, "encode", "--dry-run", "--model", m.toString());
        }));
        c.add(new Case("model-zip-not-a-zip", 3, List.of("model.zip"), d -> {
            Path m = Files.createDirectories(d.resolve("model"));
            write(m.resolve("model.json"), modelJson(ModelMetadata.FORMAT_VERSION, new int[]{1, 8, 8}));
            bytes(m.resolve("model.zip"), random(1000));
            return withPrepared(d, "encode", "--dry-run", "--model", m.toString());
        }));
        c.add(new Case("model-zip-without-network", 3, List.of("configuration.json"), d -> {
            Path m = Files.createDirectories(d.resolve("model"));
            write(m.resolve("model.json"), modelJson(ModelMetadata.FORMAT_VERSION, new int[]{1, 8, 8}));
            zip(m.resolve("model.zip"), "readme.txt");
            return withPrepared(d, "score", "--dry-run", "--model", m.toString());
        }));
        c.add(new Case("model-zip-without-network-run", 3, List.of("configuration.json"), d -> {
            Path m = Files.createDirectories(d.resolve("model"));
            write(m.resolve("model.json"), modelJson(ModelMetadata.FORMAT_VERSION, new int[]{1, 8, 8}));
            zip(m.resolve("model.zip"), "readme.txt");
            return withPrepared(d, "encode", "--model", m.toString());
        }));
        c.add(new Case("model-json-garbage", 3, List.of("model.json"), d -> {
            Path m = Files.createDirectories(d.resolve("model"));
            write(m.resolve("model.json"), "this is not json");
            zip(m.resolve("model.zip"), "configuration.json", "coefficients.bin");
            return withPrepared(d, "encode", "--dry-run", "--model", m.toString());
        }));
        c.add(new Case("model-newer-format", 2, List.of("newer"), d -> {
            Path m = Files.createDirectories(d.resolve("model"));
            write(m.resolve("model.json"), modelJson(ModelMetadata.FORMAT_VERSION + 7, new int[]{1, 8, 8}));
            zip(m.resolve("model.zip"), "configuration.json", "coefficients.bin");
            return withPrepared(d, "encode", "--dry-run", "--model", m.toString());
        }));
        c.add(new Case("model-shape-mismatch", 2, List.of("1x16x16"), d -> {
            Path m = Files.createDirectories(d.resolve("model"));
            write(m.resolve("model.json"), modelJson(ModelMetadata.FORMAT_VERSION, new int[]{1, 16, 16}));
            zip(m.resolve("model.zip"), "configuration.json", "coefficients.bin");
            return withPrepared(d, "encode", "--dry-run", "--model", m.toString());
        }));
        // checkpoints
        c.add(new Case("checkpoint-resume-without-checkpointing", 2, List.of("--resume"), d -> withPrepared(d,
                "train", "--resume", "--set", "train.checkpoint-every-epochs=0", "--set", "train.epochs=1")));
        c.add(new Case("checkpoint-dir-is-a-file", 2, List.of("checkpoint"), d -> withPrepared(d, "train", "--dry-run",
                "--set", "train.checkpoint-dir=" + write(d.resolve("ckfile"), "x"))));
        return c;
    }

    // ---- inputs made on the fly -----------------------------------------------------------------------------

    private static Invocation prepArgs(Path d, String... extra) {
        List<String> a = new ArrayList<>(List.of("prep", "--dry-run", "--run-dir", d.resolve("run").toString()));
        a.addAll(List.of(extra));
        return new Invocation(a, d.resolve("run"), Map.of());
    }

    private static Invocation runPrep(Path d, Path input, boolean dryRun, String... sets) {
        List<String> a = new ArrayList<>(List.of("prep", "--data", input.toString(), "--run-dir", d.resolve("run").toString()));
        if (dryRun) {
            a.add("--dry-run");
        }
        boolean patch = false;
        for (String s : sets) {
            a.addAll(List.of("--set", s));
            patch |= s.startsWith("patch.size");
        }
        if (!patch) {
            a.addAll(List.of("--set", "patch.size=[8,8]"));
        }
        return new Invocation(a, d.resolve("run"), Map.of());
    }

    /** A copy of the shared prep output as this case's run dir. */
    private static Invocation withPrepared(Path d, String... args) throws IOException {
        Path run = d.resolve("run");
        try (Stream<Path> s = Files.walk(prepared)) {
            for (Path p : s.toList()) {
                Path rel = prepared.relativize(p);
                if (rel.toString().startsWith("logs")) {
                    continue;
                }
                Path to = run.resolve(rel.toString());
                if (Files.isDirectory(p)) {
                    Files.createDirectories(to);
                } else {
                    Files.copy(p, to);
                }
            }
        }
        List<String> a = new ArrayList<>(List.of(args));
        a.addAll(List.of("--run-dir", run.toString()));
        return new Invocation(a, run, Map.of());
    }

    private static byte[] idxData(int count, int rows, int cols) {
        ByteBuffer b = ByteBuffer.allocate(16 + count * rows * cols);
        b.putInt(0x803).putInt(count).putInt(rows).putInt(cols);
        Random r = new Random(count);
        while (b.hasRemaining()) {
            b.put((byte) r.nextInt(256));
        }
        return b.array();
    }

    private static Path idx(Path dir, String name, int count, int rows, int cols, int extraBytes) throws IOException {
        Files.createDirectories(dir);
        byte[] d = idxData(count, rows, cols);
        return idxBytes(dir, name, java.util.Arrays.copyOf(d, d.length + extraBytes));
    }

    private static Path idxBytes(Path dir, String name, byte[] bytes) throws IOException {
        Path p = dir.resolve(name);
        Files.write(p, bytes);
        return p;
    }

    private static Path gzip(Path p, byte[] content) throws IOException {
        try (GZIPOutputStream out = new GZIPOutputStream(Files.newOutputStream(p))) {
            out.write(content);
        }
        return p;
    }

    private static Path gzipTruncated(Path d) throws IOException {
        Path p = gzip(d.resolve("tr-images-idx3-ubyte.gz"), idxData(40, 8, 8));
        byte[] b = Files.readAllBytes(p);
        Files.write(p, java.util.Arrays.copyOf(b, b.length / 2));
        return p;
    }

    private static void png(Path p, int w, int h) throws IOException {
        BufferedImage img = new BufferedImage(w, h, BufferedImage.TYPE_BYTE_GRAY);
        Random r = new Random(w * 31L + h);
        for (int y = 0; y < h; y++) {
            for (int x = 0; x < w; x++) {
                img.getRaster().setSample(x, y, 0, r.nextInt(256));
            }
        }
        ImageIO.write(img, "png", p.toFile());
    }

    private static byte[] random(int n) {
        byte[] b = new byte[n];
        new Random(n).nextBytes(b);
        return b;
    }

    private static Path write(Path p, String text) {
        try {
            Files.createDirectories(p.getParent());
            return Files.writeString(p, text);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static Path bytes(Path p, byte[] b) throws IOException {
        return Files.write(p, b);
    }

    /** float32 NPY of the shape, values from a seeded ramp, with {@code special} at {@code at} (-1: none). */
    private static Path npy(Path p, int[] shape, float special, int at) throws IOException {
        int n = 1;
        for (int s : shape) {
            n *= s;
        }
        ByteBuffer data = ByteBuffer.allocate(n * 4).order(ByteOrder.LITTLE_ENDIAN);
        for (int i = 0; i < n; i++) {
            data.putFloat(i == at ? special : (i % 97) / 97f);
        }
        return npyRaw(p, "<f4", shape, data.array());
    }

    private static Path npyRaw(Path p, String dtype, int[] shape, byte[] payload) throws IOException {
        StringBuilder dims = new StringBuilder();
        for (int d : shape) {
            dims.append(d).append(", ");
        }
        return npyWithHeader(p, "{'descr': '" + dtype + "', 'fortran_order': False, 'shape': (" + dims + "), }", payload);
    }

    private static Path npyHeader(Path p, String header) throws IOException {
        return npyWithHeader(p, header, new byte[4 * 16 * 16 * 4]);
    }

    private static Path npyWithHeader(Path p, String header, byte[] payload) throws IOException {
        int pad = 64 - (10 + header.length() + 1) % 64;
        String h = header + " ".repeat(pad % 64) + "\n";
        ByteBuffer b = ByteBuffer.allocate(10 + h.length() + payload.length).order(ByteOrder.LITTLE_ENDIAN);
        b.put((byte) 0x93).put("NUMPY".getBytes(StandardCharsets.US_ASCII)).put((byte) 1).put((byte) 0);
        b.putShort((short) h.length()).put(h.getBytes(StandardCharsets.US_ASCII)).put(payload);
        return Files.write(p, b.array());
    }

    private static Path simulatedH5(Path d) {
        List<Path> files = SimulationWriter.generate(d.resolve("sim"), SimParams.defaults("s").withGrid(8, 2).withChannels(1));
        return files.stream().filter(f -> f.toString().endsWith(".h5")).findFirst().orElseThrow();
    }

    private static void zip(Path p, String... entries) throws IOException {
        try (ZipOutputStream z = new ZipOutputStream(Files.newOutputStream(p))) {
            for (String e : entries) {
                z.putNextEntry(new ZipEntry(e));
                z.write("{}".getBytes(StandardCharsets.UTF_8));
                z.closeEntry();
            }
        }
    }

    private static String modelJson(int format, int[] inputShape) throws IOException {
        ModelMetadata meta = new ModelMetadata(format, LayeredConfigLoader.load(null, List.of()).model(), inputShape,
                "latent", 32, List.of(), DataConf.Normalization.NONE, null, null, null, null, 1, 0.1, null,
                "test", "test", null);
        return new ObjectMapper().writeValueAsString(meta);
    }
}
