package io.sparkcae.jobs.docs;

import io.sparkcae.jobs.cli.SparkCaeCli;
import io.sparkcae.jobs.docs.DocumentedCommands.Invocation;
import io.sparkcae.jobs.testing.CliProcess;
import io.sparkcae.jobs.testing.FashionMnistSlice;
import org.apache.logging.log4j.LogManager;
import org.apache.logging.log4j.core.LoggerContext;
import org.apache.logging.log4j.core.config.Configurator;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Every sparkcae command line in README.md, docs/*.md and deploy/README-deploy.md runs as written: each parses
 * against the CLI (a flag or value the CLI no longer has fails here, naming the page and line), each
 * {@code --help} line exits 0, and each {@code --dry-run} line passes in a working directory laid out like a
 * checkout (conf/ present, Fashion-MNIST installed as .ci/run installs it).
 */
class DocumentedCommandsTest {

    private static List<String> subcommands() {
        return new ArrayList<>(SparkCaeCli.commandLine().getSubcommands().keySet());
    }

    private static List<Invocation> documented() throws IOException {
        Path root = RepoRoot.get();
        List<Invocation> all = new ArrayList<>();
        for (Path page : DocumentedCommands.pages(root)) {
            all.addAll(DocumentedCommands.in(root, page, subcommands()));
        }
        return all;
    }

    /** Why the CLI would refuse the invocation's arguments, or null when it takes them. */
    static String parseProblem(Invocation inv) {
        try {
            CommandLine.ParseResult result = SparkCaeCli.commandLine().parseArgs(inv.args().toArray(String[]::new));
            // with --help picocli reports an unknown option as unmatched instead of failing
            for (CommandLine.ParseResult r = result; r != null; r = r.subcommand()) {
                if (!r.unmatched().isEmpty()) {
                    return "unknown " + r.unmatched();
                }
            }
            return null;
        } catch (CommandLine.ParameterException e) {
            return e.getMessage();
        }
    }

    @Test
    void everyDocumentedCommandLineParses() throws IOException {
        List<Invocation> all = documented();
        // the scan itself must find the pages' commands, or this test would pass on nothing
        assertTrue(all.size() >= 30, "documented sparkcae command lines found: " + all.size() + " " + all);
        List<String> problems = new ArrayList<>();
        // parsing --log-format json switches this JVM's logging to JSON (the option applies itself at once)
        LoggerContext logging = (LoggerContext) LogManager.getContext(false);
        URI loggingBefore = logging.getConfigLocation();
        try {
            for (Invocation inv : all) {
                String problem = parseProblem(inv);
                if (problem != null) {
                    problems.add(inv + "\n    args " + inv.args() + ": " + problem);
                }
            }
        } finally {
            Configurator.reconfigure(loggingBefore);
        }
        assertTrue(problems.isEmpty(), "documented command lines the CLI refuses:\n" + String.join("\n", problems));
    }

    @Test
    void everyDocumentedHelpLineExitsZero() throws IOException {
        List<Invocation> help = documented().stream().filter(Invocation::help).toList();
        assertTrue(help.size() >= subcommands().size(), "documented --help lines: " + help);
        for (Invocation inv : help) {
            StringWriter err = new StringWriter();
            int code = SparkCaeCli.execute(new PrintWriter(err, true), inv.args().toArray(String[]::new));
            assertEquals(0, code, inv + " (args " + inv.args() + "): " + err);
        }
    }

    @Test
    void everyDocumentedDryRunPassesInACheckoutLikeDirectory(@TempDir Path tmp) throws Exception {
        FashionMnistSlice.require(); // the documented dry runs read the default input's headers
        List<Invocation> dryRuns = documented().stream().filter(Invocation::dryRun).toList();
        assertTrue(dryRuns.size() >= 2, "documented --dry-run lines: " + dryRuns);
        int n = 0;
        for (Invocation inv : dryRuns) {
            Path work = Files.createDirectories(tmp.resolve("work-" + n));
            Files.createSymbolicLink(work.resolve("conf"), RepoRoot.get().resolve("conf"));
            Path tmpDir = Files.createDirectories(tmp.resolve("tmp-" + n));
            Path log = tmp.resolve("dry-run-" + n++ + ".log");
            List<String> jvm = new ArrayList<>(List.of("-Djava.io.tmpdir=" + tmpDir));
            // the launcher hands leading --conf pairs to Spark, which reads spark.* system properties alike
            inv.sparkConf().forEach(kv -> jvm.add("-D" + kv));
            try (CliProcess cli = CliProcess.startIn(work, log, jvm, inv.args().toArray(String[]::new))) {
                int code = cli.awaitExit(5, TimeUnit.MINUTES);
                assertEquals(0, code, inv + " (args " + inv.args() + "):\n" + cli.output());
                assertTrue(cli.output().contains("dry run ok"), inv + ":\n" + cli.output());
            }
            // a dry run removes the run dir it created: only conf/ is left
            try (Stream<Path> left = Files.list(work)) {
                assertEquals(List.of(work.resolve("conf")), left.toList(), inv + " left files behind");
            }
        }
    }

    /** --help runs no stage, so it must not create a run dir's logs folder where the user stands. */
    @Test
    void helpLeavesTheWorkingDirectoryEmpty(@TempDir Path tmp) throws Exception {
        Path work = Files.createDirectories(tmp.resolve("work"));
        Path log = tmp.resolve("help.log");
        try (CliProcess cli = CliProcess.startIn(work, log, List.of(), "train", "--help")) {
            assertEquals(0, cli.awaitExit(2, TimeUnit.MINUTES), cli.output());
            assertTrue(cli.output().contains("Usage: sparkcae train"), cli.output());
        }
        try (Stream<Path> left = Files.list(work)) {
            assertEquals(List.of(), left.toList());
        }
    }

    @Test
    void aFlagOrValueTheCliDoesNotHaveIsReportedWithItsPageAndLine() {
        String page = """
                # Page

                Run `deploy/sparkcae train --run-dir runs/r1 --no-such-flag`.

                ```bash
                deploy/sparkcae reassemble --run-dir runs/r1 --what nothing
                deploy/sparkcae frobnicate --run-dir runs/r1
                deploy/sparkcae prep --run-dir runs/r1 --gone --help
                deploy/sparkcae encode --run-dir runs/r1 [--model other-run/train]
                ```
                """;
        List<Invocation> found = DocumentedCommands.in("page.md", page, subcommands());
        assertEquals(5, found.size(), found.toString());
        assertEquals("page.md:3", found.get(0).where());
        assertTrue(parseProblem(found.get(0)).contains("--no-such-flag"), parseProblem(found.get(0)));
        assertEquals("page.md:6", found.get(1).where());
        assertTrue(parseProblem(found.get(1)).contains("'nothing'"), parseProblem(found.get(1)));
        assertTrue(parseProblem(found.get(2)).contains("frobnicate"), parseProblem(found.get(2)));
        assertTrue(parseProblem(found.get(3)).contains("--gone"), parseProblem(found.get(3)));
        assertNull(parseProblem(found.get(4)));
    }

    @Test
    void theDocsNotationIsReadTheWayAUserReadsIt() {
        List<String> subs = subcommands();
        String page = """
                ```bash
                SPARKCAE_MEMORY=4g deploy/sparkcae --conf spark.hadoop.fs.s3a.endpoint=http://127.0.0.1:9000 \\
                  reassemble --run-dir s3a://b/r [--what patches|residuals] --set 'train.labels=[0]'   # a comment
                deploy/sparkcae <command> --help
                deploy/submit-yarn.sh --queue ml --conf a=b -- train --model <dir saved by the API> --if-exists skip
                spark-shell --jars spark-jobs/target/sparkcae-app.jar --driver-java-options "-Dx=y"
                spark-submit --class io.sparkcae.jobs.cli.SparkCaeCli target/sparkcae-app.jar score --run-dir r
                model.save("hdfs:///m");   // deploy/sparkcae encode --model hdfs:///m reads it
                mvn -B package   # spark-jobs/target/sparkcae-app.jar (~436 MiB)
                ```
                Mentioning `deploy/sparkcae` alone runs nothing.
                """;
        List<Invocation> found = DocumentedCommands.in("p.md", page, subs);
        Invocation first = found.get(0);
        assertEquals("p.md:2", first.where());
        assertEquals(List.of("spark.hadoop.fs.s3a.endpoint=http://127.0.0.1:9000"), first.sparkConf());
        assertEquals(List.of("reassemble", "--run-dir", "s3a://b/r", "--what", "patches", "--set", "train.labels=[0]"),
                first.args());
        List<Invocation> help = found.stream().filter(Invocation::help).toList();
        assertEquals(subs.size(), help.size());
        assertEquals(subs, help.stream().map(i -> i.args().get(0)).toList());
        Invocation submit = found.get(1 + subs.size());
        assertEquals(List.of("train", "--model", DocumentedCommands.SOME_VALUE, "--if-exists", "skip"), submit.args());
        Invocation sparkSubmit = found.get(2 + subs.size());
        assertEquals(List.of("score", "--run-dir", "r"), sparkSubmit.args());
        assertEquals(3 + subs.size(), found.size(), found.toString());
    }
}
