package io.sparkcae.core.config;

import com.typesafe.config.Config;
import com.typesafe.config.ConfigException;
import com.typesafe.config.ConfigFactory;
import com.typesafe.config.ConfigParseOptions;
import com.typesafe.config.ConfigSyntax;
import com.typesafe.config.ConfigValue;
import io.sparkcae.core.error.SparkCaeException;

import java.io.File;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;

/**
 * Builds the effective configuration from its layers, in this precedence (later wins):
 * built-in defaults ({@code conf/sparkcae-defaults.conf}) &lt; the {@code model.preset} named by the layers above
 * it ({@code conf/presets/NAME.conf}) &lt; user file ({@code --config}) &lt; {@code --set key=value} overrides.
 * Keys may be written with or without the {@code sparkcae.} prefix.
 * A key the defaults do not declare is rejected, so a typo never silently falls back to a default.
 */
public final class LayeredConfigLoader {
    static final String ROOT = "sparkcae";
    private static final String DEFAULTS_RESOURCE = "io/sparkcae/core/config/sparkcae-defaults.conf";
    private static final String PRESETS_RESOURCE = "io/sparkcae/core/config/presets/";
    static final String PRESET_KEY = ROOT + ".model.preset";
    /** The presets conf/presets/ holds, in order of training time. */
    public static final List<String> PRESETS = List.of("reference", "default", "quality");

    private LayeredConfigLoader() {
    }

    public static SparkCaeConf load(File userFile, List<String> overrides) {
        try {
            return loadLayers(userFile, overrides);
        } catch (ConfigException.UnresolvedSubstitution e) {
            throw SparkCaeException.usage(unresolved(userFile, e));
        } catch (ConfigException e) {
            // Anything else the config library rejects is still the user's file or --set, never an internal error.
            throw SparkCaeException.usage((userFile == null ? "configuration" : "--config " + userFile) + ": "
                    + e.getMessage());
        }
    }

    /** Names the variable a {@code ${VAR}} substitution wanted and how to provide it. */
    static String unresolved(File userFile, ConfigException.UnresolvedSubstitution e) {
        java.util.regex.Matcher m = java.util.regex.Pattern.compile("\\$\\{\\??([^}]+)}").matcher(e.getMessage());
        String variable = m.find() ? m.group(1).trim() : "?";
        return (userFile == null ? "configuration" : "--config " + userFile) + ": ${" + variable
                + "} is not set: export the environment variable " + variable + ", define the key " + variable
                + " in the file, or write ${?" + variable + "} to make it optional";
    }

    private static SparkCaeConf loadLayers(File userFile, List<String> overrides) {
        Config defaults = defaults();
        Config user = ConfigFactory.empty();
        if (userFile != null) {
            Config parsed = parseUserFile(userFile);
            // Resolved on its own first (against itself, the defaults and the environment), so a ${VAR} that
            // is not set is reported as such instead of as an unreadable key listing.
            user = parsed.resolveWith(parsed.withFallback(defaults));
            rejectUnknownKeys(user, defaults, "in " + userFile);
        }
        Config sets = parseOverrides(overrides);
        rejectUnknownKeys(sets, defaults, "in --set");
        Config chosen = sets.withFallback(user);
        // the preset sits between the built-in defaults and what the user wrote: it changes only the keys the
        // user left alone, so `--set model.preset=quality --set train.epochs=5` means that preset for 5 epochs
        Config preset = preset(chosen.withFallback(defaults).resolve());
        rejectUnknownKeys(preset, defaults, "in model.preset " + preset.origin().description());
        Config merged = chosen.withFallback(preset).withFallback(defaults).resolve();
        return SparkCaeConf.from(merged.getConfig(ROOT));
    }

    /** The named preset's keys ({@code conf/presets/NAME.conf}); a name without a file is the user's error. */
    static Config preset(Config resolved) {
        String name = resolved.getString(PRESET_KEY);
        if (!PRESETS.contains(name)) {
            throw SparkCaeException.usage("config key " + PRESET_KEY.substring(ROOT.length() + 1) + ": unknown preset '"
                    + name + "' (one of " + String.join(", ", PRESETS) + ")");
        }
        return normalise(ConfigFactory.parseResources(LayeredConfigLoader.class.getClassLoader(),
                PRESETS_RESOURCE + name + ".conf", ConfigParseOptions.defaults().setAllowMissing(false)));
    }

    public static Config defaults() {
        Config c = ConfigFactory.parseResources(LayeredConfigLoader.class.getClassLoader(), DEFAULTS_RESOURCE,
                ConfigParseOptions.defaults().setAllowMissing(false));
        return c;
    }

    private static Config parseUserFile(File file) {
        if (!file.isFile()) {
            throw SparkCaeException.usage("--config " + file + ": file not found");
        }
        try {
            return normalise(ConfigFactory.parseFile(file, ConfigParseOptions.defaults().setAllowMissing(false)));
        } catch (ConfigException e) {
            throw SparkCaeException.usage("--config " + file + ": " + e.getMessage());
        }
    }

    private static Config parseOverrides(List<String> overrides) {
        Config result = ConfigFactory.empty();
        if (overrides == null) {
            return result;
        }
        for (String o : overrides) {
            int eq = o.indexOf('=');
            if (eq <= 0) {
                throw SparkCaeException.usage("--set " + o + ": expected key=value");
            }
            String key = o.substring(0, eq).trim();
            String value = o.substring(eq + 1).trim();
            String path = key.startsWith(ROOT + ".") ? key : ROOT + "." + key;
            Config one;
            try {
                one = ConfigFactory.parseString(path + " = " + quoteIfBare(value),
                        ConfigParseOptions.defaults().setSyntax(ConfigSyntax.CONF));
            } catch (ConfigException e) {
                throw SparkCaeException.usage("--set " + key + ": cannot parse value '" + value + "'");
            }
            result = one.withFallback(result);
        }
        return result;
    }

    /** Paths and words with characters HOCON treats specially (':' in URIs, '/' is fine) are quoted. */
    private static String quoteIfBare(String value) {
        if (value.startsWith("[") || value.startsWith("{") || value.startsWith("\"")) {
            return value;
        }
        if (value.matches("[A-Za-z0-9_.+\\-]*")) {
            return value.isEmpty() ? "\"\"" : value;
        }
        return "\"" + value.replace("\\", "\\\\").replace("\"", "\\\"") + "\"";
    }

    /** User files may omit the {@code sparkcae { }} wrapper. */
    private static Config normalise(Config user) {
        if (user.hasPath(ROOT) && user.root().size() == 1) {
            return user;
        }
        return user.atKey(ROOT);
    }

    private static void rejectUnknownKeys(Config layer, Config defaults, String where) {
        List<String> unknown = new ArrayList<>();
        for (Map.Entry<String, ConfigValue> e : layer.entrySet()) {
            if (!defaults.hasPath(e.getKey())) {
                unknown.add(e.getKey().substring(ROOT.length() + 1));
            }
        }
        if (!unknown.isEmpty()) {
            TreeSet<String> sorted = new TreeSet<>(unknown);
            throw SparkCaeException.usage("unknown configuration key " + String.join(", ", sorted) + " " + where
                    + " (see conf/sparkcae-defaults.conf for the keys)");
        }
    }
}
