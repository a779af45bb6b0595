package io.sparkcae.core.config;

import com.typesafe.config.Config;
import com.typesafe.config.ConfigFactory;
import com.typesafe.config.ConfigParseOptions;
import com.typesafe.config.ConfigValue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The keys table of {@code docs/configuration.md}, generated from {@code conf/sparkcae-defaults.conf}: the
 * comment above each key is its documentation, so the table cannot drift from the keys the loader accepts.
 * The table sits between two marker lines in the page; {@link #main} rewrites it there.
 *
 * <pre>java -cp ... io.sparkcae.core.config.ConfigReference conf/sparkcae-defaults.conf docs/configuration.md</pre>
 */
public final class ConfigReference {
    public static final String BEGIN = "<!-- BEGIN keys: generated from conf/sparkcae-defaults.conf by "
            + "io.sparkcae.core.config.ConfigReference; edit the comments there, not this table -->";
    public static final String END = "<!-- END keys -->";

    private static final Pattern ASSIGNMENT = Pattern.compile("^\\s*\"?([A-Za-z0-9_.-]+)\"?\\s*[=:]\\s*(.*?)\\s*$");

    /** One row: the key without the {@code sparkcae.} prefix, its default as written, and its comment. */
    public record Entry(String key, String defaultText, String meaning) {
    }

    private ConfigReference() {
    }

    /**
     * Every key of the defaults file in file order. Fails naming the keys that have no comment of their own,
     * because an undocumented key would otherwise reach the table with an empty meaning.
     */
    public static List<Entry> entries(Path defaultsFile) throws IOException {
        List<String> lines = Files.readAllLines(defaultsFile, StandardCharsets.UTF_8);
        Config parsed = ConfigFactory.parseFile(defaultsFile.toFile(), ConfigParseOptions.defaults().setAllowMissing(false));
        List<Map.Entry<String, ConfigValue>> values = new ArrayList<>(parsed.entrySet());
        values.sort(Comparator.comparingInt(e -> e.getValue().origin().lineNumber()));
        List<Entry> out = new ArrayList<>();
        List<String> undocumented = new ArrayList<>();
        for (Map.Entry<String, ConfigValue> e : values) {
            String key = e.getKey().startsWith(LayeredConfigLoader.ROOT + ".")
                    ? e.getKey().substring(LayeredConfigLoader.ROOT.length() + 1) : e.getKey();
            String meaning = String.join(" ", e.getValue().origin().comments().stream().map(String::trim).toList()).trim();
            if (meaning.isEmpty()) {
                undocumented.add(e.getKey());
            }
            out.add(new Entry(key, defaultAsWritten(lines, e.getKey(), e.getValue()), meaning));
        }
        if (!undocumented.isEmpty()) {
            throw new IllegalStateException(defaultsFile + ": keys without a comment of their own (the comment is the "
                    + "key's documentation): " + String.join(", ", undocumented));
        }
        return out;
    }

    /**
     * The value as the file spells it ({@code 0.0}, not the parser's {@code 0}), read from the key's own line.
     */
    private static String defaultAsWritten(List<String> lines, String path, ConfigValue value) {
        int line = value.origin().lineNumber();
        String leaf = path.substring(path.lastIndexOf('.') + 1);
        Matcher m = line >= 1 && line <= lines.size() ? ASSIGNMENT.matcher(lines.get(line - 1)) : null;
        if (m == null || !m.matches() || !m.group(1).endsWith(leaf)) {
            throw new IllegalStateException("line " + line + " of the defaults file does not assign " + path
                    + ": write each key as `name = value` on one line");
        }
        return m.group(2);
    }

    /** The markdown table, one row per key. */
    public static String table(List<Entry> entries) {
        StringBuilder sb = new StringBuilder("| key | default | meaning |\n|---|---|---|\n");
        for (Entry e : entries) {
            sb.append("| `").append(e.key()).append("` | `").append(cell(e.defaultText())).append("` | ")
                    .append(markdownText(e.meaning())).append(" |\n");
        }
        return sb.toString();
    }

    /** The generated block, markers included, as it must appear in the page. */
    public static String section(Path defaultsFile) throws IOException {
        return BEGIN + "\n" + table(entries(defaultsFile)) + END;
    }

    /** The page with the block between its markers replaced; fails if the page lacks the markers. */
    public static String splice(String page, String section) {
        int begin = page.indexOf(BEGIN);
        int end = page.indexOf(END);
        if (begin < 0 || end < begin) {
            throw new IllegalStateException("the page has no generated keys block: put the lines\n" + BEGIN + "\n"
                    + END + "\nwhere the keys table belongs");
        }
        return page.substring(0, begin) + section + page.substring(end + END.length());
    }

    /** The block currently between the page's markers (markers included), or "" when it has none. */
    public static String checkedIn(String page) {
        int begin = page.indexOf(BEGIN);
        int end = page.indexOf(END);
        return begin < 0 || end < begin ? "" : page.substring(begin, end + END.length());
    }

    /** Rewrites the keys block of a page: {@code ConfigReference <defaults file> <markdown page>}. */
    public static void main(String[] args) throws IOException {
        if (args.length != 2) {
            System.err.println("usage: ConfigReference <conf/sparkcae-defaults.conf> <docs/configuration.md>");
            System.exit(2);
        }
        Path page = Path.of(args[1]);
        String text = Files.readString(page, StandardCharsets.UTF_8);
        Files.writeString(page, splice(text, section(Path.of(args[0]))), StandardCharsets.UTF_8);
        System.out.println("wrote the keys table of " + page);
    }

    // A cell holds no raw pipe (it would split the row).
    private static String cell(String s) {
        return s.replace("|", "\\|");
    }

    // Comment prose: '<run-dir>' would read as an HTML tag and vanish from the rendered page. Inside `code`
    // the text shows literally, so only the parts outside backticks are escaped.
    private static String markdownText(String s) {
        String[] parts = s.split("`", -1);
        StringBuilder sb = new StringBuilder();
        for (int i = 0; i < parts.length; i++) {
            if (i > 0) {
                sb.append('`');
            }
            sb.append(i % 2 == 0 ? parts[i].replace("<", "&lt;").replace(">", "&gt;") : parts[i]);
        }
        return cell(sb.toString());
    }
}
