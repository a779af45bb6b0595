package io.sparkcae.jobs.docs;

import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The project's text (docs, configuration, scripts, source and its comments) speaks of the product: the word
 * appears only for a Spark session, in identifiers such as {@code SparkSession}, {@code sessionState} or
 * {@code keepSession} and as the words "Spark session". Any other use is refused, with its file and line.
 */
class ProjectWordingTest {
    // The word alone (not inside an identifier): built from parts so this file does not trip its own check.
    private static final Pattern WORD = Pattern.compile("(?i)(?<![a-z])" + "sess" + "ions?(?![a-z])");
    private static final Pattern SPARK_BEFORE = Pattern.compile("(?i)spark\\s*$");
    // what may stand before the word on a wrapped comment line
    private static final Pattern COMMENT_PREFIX = Pattern.compile("^[\\s*/#-]*$");

    /** The lines of {@code text} that use the word other than for Spark's, as "name:line: text". */
    static List<String> offending(String name, String text) {
        List<String> out = new ArrayList<>();
        String[] lines = text.split("\n", -1);
        for (int i = 0; i < lines.length; i++) {
            Matcher m = WORD.matcher(lines[i]);
            while (m.find()) {
                String before = lines[i].substring(0, m.start());
                boolean spark = SPARK_BEFORE.matcher(before).find()
                        || (COMMENT_PREFIX.matcher(before).matches() && i > 0
                        && SPARK_BEFORE.matcher(lines[i - 1].stripTrailing()).find());
                if (!spark) {
                    out.add(name + ":" + (i + 1) + ": " + lines[i].strip());
                    break;
                }
            }
        }
        return out;
    }

    @Test
    void noFileUsesTheWordOtherThanForSparksOwn() throws Exception {
        Path root = RepoRoot.get();
        List<String> files = trackedAndNewFiles(root);
        assertTrue(files.contains("README.md") && files.contains("conf/sparkcae-defaults.conf")
                && files.stream().anyMatch(f -> f.endsWith(".java")), "files listed: " + files.size());
        List<String> found = new ArrayList<>();
        int read = 0;
        for (String f : files) {
            Path p = root.resolve(f);
            if (!Files.isRegularFile(p) || Files.size(p) > 5_000_000) {
                continue;
            }
            byte[] bytes = Files.readAllBytes(p);
            if (isBinary(bytes)) {
                continue;
            }
            read++;
            found.addAll(offending(f, new String(bytes, StandardCharsets.UTF_8)));
        }
        assertTrue(read > 100, "text files read: " + read);
        assertEquals(List.of(), found, "say what is meant instead (the product, a run, a Spark session)");
    }

    @Test
    void sparksOwnIsAllowedAndAnythingElseIsReportedWithItsLine() {
        String text = """
                SparkSession spark = SparkSession.active(); spark.sessionState();
                static void run(boolean keepSession) {}
                // uses the Spark session's Hadoop configuration; two spark sessions
                /** Starts the Spark
                 * session for a stage. */
                Notes from the last WORD: fixed the reader.
                Word 4 added this.
                """.replace("WORD", "sess" + "ion").replace("Word", "Sess" + "ion");
        List<String> found = offending("f.java", text);
        assertEquals(List.of("f.java:6: " + text.lines().toList().get(5), "f.java:7: " + text.lines().toList().get(6)),
                found);
    }

    private static boolean isBinary(byte[] bytes) {
        for (int i = 0; i < Math.min(bytes.length, 8192); i++) {
            if (bytes[i] == 0) {
                return true;
            }
        }
        return false;
    }

    /** Every file git tracks plus new files it does not ignore: what a commit would hold. */
    private static List<String> trackedAndNewFiles(Path root) throws IOException, InterruptedException {
        Process git = new ProcessBuilder("git", "ls-files", "-z", "--cached", "--others", "--exclude-standard")
                .directory(root.toFile()).redirectErrorStream(false).start();
        byte[] out = git.getInputStream().readAllBytes();
        assertTrue(git.waitFor(2, TimeUnit.MINUTES), "git ls-files did not finish");
        assertEquals(0, git.exitValue(), "git ls-files in " + root + ": " + new String(git.getErrorStream().readAllBytes()));
        return Arrays.stream(new String(out, StandardCharsets.UTF_8).split("\0")).filter(s -> !s.isEmpty()).distinct()
                .toList();
    }
}
