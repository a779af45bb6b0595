package io.sparkcae.jobs.docs;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * The sparkcae command lines the project's markdown shows a user: in fenced code blocks and inline code spans,
 * {@code deploy/sparkcae ARGS}, {@code deploy/submit-*.sh ... -- ARGS} and {@code ...sparkcae-app.jar ARGS}.
 * Each becomes the argument list the CLI would receive, with the docs' own notation read the way a user reads it:
 * {@code [--model DIR]} is written out, {@code a|b} takes its first choice, {@code <dir>} stands for some value,
 * and {@code <command>} stands for every subcommand.
 */
final class DocumentedCommands {
    /** The placeholder for "any subcommand" in {@code deploy/sparkcae <command> --help}. */
    static final String ANY_COMMAND = "<command>";
    /** What a {@code <...>} placeholder other than {@link #ANY_COMMAND} becomes: some value. */
    static final String SOME_VALUE = "VALUE";

    private static final Pattern LAUNCHER = Pattern.compile("(?<![\\w/.-])deploy/sparkcae(?![\\w.-])");
    private static final Pattern SUBMIT_SCRIPT = Pattern.compile("(?<![\\w/.-])deploy/submit-[a-z0-9]+\\.sh(?![\\w.-])");
    private static final Pattern APP_JAR = Pattern.compile("sparkcae-app\\.jar(?![\\w.-])");
    private static final Pattern INLINE_CODE = Pattern.compile("`([^`]+)`");
    private static final Pattern PLACEHOLDER = Pattern.compile("<[^<>]*>");
    // a shell "# ..." or Java "// ..." comment: prose about a command, not one
    private static final Pattern COMMENT = Pattern.compile("(^|\\s)(#|//)(\\s|$)");

    /**
     * One documented invocation.
     *
     * @param where     file and line, for messages
     * @param text      the command as the page writes it
     * @param sparkConf leading {@code --conf KEY=VALUE} settings the launcher hands to Spark
     * @param args      what the CLI receives
     */
    record Invocation(String where, String text, List<String> sparkConf, List<String> args) {
        boolean help() {
            return args.contains("--help") || args.contains("-h");
        }

        boolean dryRun() {
            return args.contains("--dry-run");
        }

        @Override
        public String toString() {
            return where + ": " + text;
        }
    }

    private DocumentedCommands() {
    }

    /** The pages a user reads: README.md, docs/*.md and the deployment guide. */
    static List<Path> pages(Path root) throws IOException {
        List<Path> out = new ArrayList<>();
        out.add(root.resolve("README.md"));
        try (Stream<Path> docs = Files.list(root.resolve("docs"))) {
            docs.filter(p -> p.getFileName().toString().endsWith(".md")).sorted().forEach(out::add);
        }
        out.add(root.resolve("deploy/README-deploy.md"));
        return out;
    }

    static List<Invocation> in(Path root, Path page, List<String> subcommands) throws IOException {
        return in(root.relativize(page).toString(), Files.readString(page, StandardCharsets.UTF_8), subcommands);
    }

    /** The invocations in one page's markdown text. */
    static List<Invocation> in(String name, String markdown, List<String> subcommands) {
        List<Invocation> out = new ArrayList<>();
        String[] lines = markdown.split("\n", -1);
        boolean fenced = false;
        StringBuilder logical = new StringBuilder();
        int logicalStart = 0;
        StringBuilder paragraph = new StringBuilder();
        int paragraphStart = 0;
        for (int i = 0; i < lines.length; i++) {
            String line = lines[i];
            if (line.strip().startsWith("```")) {
                fenced = !fenced;
                inlineSpans(name, paragraph, paragraphStart, subcommands, out);
                continue;
            }
            if (fenced) {
                // a shell line continued with a trailing backslash is one command
                if (logical.length() == 0) {
                    logicalStart = i + 1;
                }
                String stripped = line.stripTrailing();
                if (stripped.endsWith("\\")) {
                    logical.append(stripped, 0, stripped.length() - 1).append(' ');
                    continue;
                }
                logical.append(stripped);
                commands(name + ":" + logicalStart, logical.toString(), subcommands, out);
                logical.setLength(0);
                continue;
            }
            // inline code may wrap across lines of a paragraph
            if (line.isBlank()) {
                inlineSpans(name, paragraph, paragraphStart, subcommands, out);
                continue;
            }
            if (paragraph.length() == 0) {
                paragraphStart = i + 1;
            }
            paragraph.append(line).append('\n');
        }
        inlineSpans(name, paragraph, paragraphStart, subcommands, out);
        return out;
    }

    private static void inlineSpans(String name, StringBuilder paragraph, int firstLine, List<String> subcommands,
                                    List<Invocation> out) {
        Matcher m = INLINE_CODE.matcher(paragraph);
        while (m.find()) {
            int line = firstLine + (int) paragraph.substring(0, m.start()).chars().filter(c -> c == '\n').count();
            commands(name + ":" + line, m.group(1).replace('\n', ' '), subcommands, out);
        }
        paragraph.setLength(0);
    }

    /** The invocation in one line of shell (if it has one); {@code <command>} yields one per subcommand. */
    static void commands(String where, String fullLine, List<String> subcommands, List<Invocation> out) {
        Matcher comment = COMMENT.matcher(fullLine);
        String line = comment.find() ? fullLine.substring(0, comment.start()) : fullLine;
        List<String> tokens;
        Matcher launcher = LAUNCHER.matcher(line);
        Matcher submit = SUBMIT_SCRIPT.matcher(line);
        Matcher jar = APP_JAR.matcher(line);
        if (launcher.find()) {
            tokens = tokens(line.substring(launcher.end()));
        } else if (submit.find()) {
            // the submit scripts take spark-submit options up to "--", then sparkcae's
            List<String> all = tokens(line.substring(submit.end()));
            int dashes = all.indexOf("--");
            if (dashes < 0) {
                return;
            }
            tokens = all.subList(dashes + 1, all.size());
        } else if (jar.find()) {
            tokens = tokens(line.substring(jar.end()));
            // spark-shell --jars ...sparkcae-app.jar --driver-java-options: a classpath entry, not the CLI
            if (tokens.isEmpty() || tokens.get(0).startsWith("-")) {
                return;
            }
        } else {
            return;
        }
        List<String> sparkConf = new ArrayList<>();
        int first = 0;
        while (first + 1 < tokens.size() && tokens.get(first).equals("--conf")) {
            sparkConf.add(tokens.get(first + 1));
            first += 2;
        }
        List<String> args = new ArrayList<>(tokens.subList(first, tokens.size()));
        if (args.isEmpty()) {
            return; // the launcher named in prose, not run
        }
        String text = fullLine.strip();
        if (args.get(0).equals(ANY_COMMAND)) {
            for (String sub : subcommands) {
                List<String> each = new ArrayList<>(args);
                each.set(0, sub);
                out.add(new Invocation(where, text, sparkConf, each));
            }
            return;
        }
        out.add(new Invocation(where, text, sparkConf, args));
    }

    /**
     * Shell words up to a comment or a shell operator, quotes removed, with the docs' notation resolved:
     * optional {@code [...]} groups written out, {@code a|b} as {@code a}, a lone {@code ...} dropped.
     */
    static List<String> tokens(String shell) {
        String text = PLACEHOLDER.matcher(shell).replaceAll(r -> r.group().equals(ANY_COMMAND) ? ANY_COMMAND : SOME_VALUE);
        List<String> out = new ArrayList<>();
        int optionalDepth = 0;
        int i = 0;
        while (i < text.length()) {
            while (i < text.length() && Character.isWhitespace(text.charAt(i))) {
                i++;
            }
            if (i >= text.length() || text.charAt(i) == '#') {
                break;
            }
            StringBuilder word = new StringBuilder();
            boolean quoted = false;
            while (i < text.length() && !Character.isWhitespace(text.charAt(i))) {
                char c = text.charAt(i);
                if (c == '\'' || c == '"') {
                    int close = text.indexOf(c, i + 1);
                    if (close < 0) {
                        close = text.length();
                    }
                    word.append(text, i + 1, close);
                    quoted = true;
                    i = Math.min(close + 1, text.length());
                    continue;
                }
                word.append(c);
                i++;
            }
            String w = word.toString();
            if (!quoted && (w.equals("|") || w.equals("&&") || w.equals(";") || w.equals(">") || w.equals("2>&1"))) {
                break;
            }
            if (!quoted) {
                if (w.startsWith("[")) {
                    optionalDepth++;
                    w = w.substring(1);
                }
                if (optionalDepth > 0 && w.endsWith("]")) {
                    optionalDepth--;
                    w = w.substring(0, w.length() - 1);
                }
                int bar = w.indexOf('|');
                if (bar > 0) {
                    w = w.substring(0, bar);
                }
                if (w.equals("...") || w.isEmpty()) {
                    continue;
                }
            }
            out.add(w);
        }
        return out;
    }
}
