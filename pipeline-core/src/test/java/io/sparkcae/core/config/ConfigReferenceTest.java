package io.sparkcae.core.config;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * docs/configuration.md's keys table is the one {@link ConfigReference} generates from the defaults file.
 * Regenerate it with {@value #REGENERATE}.
 */
class ConfigReferenceTest {
    static final String REGENERATE =
            "mvn -B -q -pl pipeline-core -Dtest=ConfigReferenceTest -Dsparkcae.regenerate-docs=true test";

    @Test
    void checkedInKeysTableIsTheOneGeneratedFromTheDefaultsFile() throws IOException {
        Path root = repoRoot();
        Path defaults = root.resolve("conf/sparkcae-defaults.conf");
        Path page = root.resolve("docs/configuration.md");
        String text = Files.readString(page, StandardCharsets.UTF_8);
        String generated = ConfigReference.section(defaults);
        if (Boolean.getBoolean("sparkcae.regenerate-docs")) {
            Files.writeString(page, ConfigReference.splice(text, generated), StandardCharsets.UTF_8);
            text = Files.readString(page, StandardCharsets.UTF_8);
        }
        assertEquals(generated, ConfigReference.checkedIn(text), "docs/configuration.md's keys table differs from "
                + "conf/sparkcae-defaults.conf (the comments there are the source). Regenerate it: " + REGENERATE);
    }

    /** The table has a row for each key the loader accepts, so a key cannot be left out of the docs. */
    @Test
    void everyKeyTheLoaderAcceptsHasARow() throws IOException {
        List<ConfigReference.Entry> entries = ConfigReference.entries(repoRoot().resolve("conf/sparkcae-defaults.conf"));
        List<String> documented = entries.stream().map(e -> "sparkcae." + e.key()).sorted().toList();
        List<String> accepted = LayeredConfigLoader.defaults().entrySet().stream().map(java.util.Map.Entry::getKey)
                .sorted().toList();
        assertEquals(accepted, documented);
        assertTrue(entries.size() >= 60, "keys: " + entries.size());
        assertEquals("seed", entries.get(0).key(), "rows follow the file's order");
    }

    @Test
    void aKeyWithoutItsOwnCommentIsRefusedByName(@TempDir Path dir) throws IOException {
        Path conf = write(dir, """
                sparkcae {
                  train {
                    # Passes over the train split.
                    epochs = 3
                    batch-size = 128
                  }
                }
                """);
        IllegalStateException e = assertThrows(IllegalStateException.class, () -> ConfigReference.entries(conf));
        assertTrue(e.getMessage().contains("sparkcae.train.batch-size"), e.getMessage());
        assertTrue(!e.getMessage().contains("epochs"), e.getMessage());
    }

    @Test
    void defaultsAreShownAsWrittenAndProseIsEscapedForMarkdown(@TempDir Path dir) throws IOException {
        Path conf = write(dir, """
                sparkcae {
                  # Smallest drop that counts: none | some; "" = <run-dir>/x, see `a<b>`.
                  min-delta = 0.0
                  # Channels.
                  channels = [32, 16]
                }
                """);
        String table = ConfigReference.table(ConfigReference.entries(conf));
        assertEquals("""
                | key | default | meaning |
                |---|---|---|
                | `min-delta` | `0.0` | Smallest drop that counts: none \\| some; "" = &lt;run-dir&gt;/x, see `a<b>`. |
                | `channels` | `[32, 16]` | Channels. |
                """, table);
    }

    @Test
    void splicingReplacesOnlyTheBlockBetweenTheMarkers() {
        String page = "# Title\n\nintro\n" + ConfigReference.BEGIN + "\nold table\n" + ConfigReference.END + "\n\n## Next\n";
        String spliced = ConfigReference.splice(page, ConfigReference.BEGIN + "\nnew\n" + ConfigReference.END);
        assertEquals("# Title\n\nintro\n" + ConfigReference.BEGIN + "\nnew\n" + ConfigReference.END + "\n\n## Next\n",
                spliced);
        assertThrows(IllegalStateException.class, () -> ConfigReference.splice("# no markers\n", "x"));
    }

    private static Path write(Path dir, String text) throws IOException {
        Path f = dir.resolve("defaults.conf");
        Files.writeString(f, text, StandardCharsets.UTF_8);
        return f;
    }

    /** Surefire's sparkcae.repo.root, else the first parent holding conf/sparkcae-defaults.conf. */
    static Path repoRoot() {
        String prop = System.getProperty("sparkcae.repo.root");
        if (prop != null && !prop.isBlank() && Files.isRegularFile(Path.of(prop, "conf/sparkcae-defaults.conf"))) {
            return Path.of(prop);
        }
        for (Path p = Path.of("").toAbsolutePath(); p != null; p = p.getParent()) {
            if (Files.isRegularFile(p.resolve("conf/sparkcae-defaults.conf"))) {
                return p;
            }
        }
        throw new IllegalStateException("no conf/sparkcae-defaults.conf above " + Path.of("").toAbsolutePath());
    }
}
