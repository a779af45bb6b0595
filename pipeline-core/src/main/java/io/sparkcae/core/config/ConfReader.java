package io.sparkcae.core.config;

import com.typesafe.config.Config;
import com.typesafe.config.ConfigException;
import io.sparkcae.core.error.SparkCaeException;

import java.util.Arrays;
import java.util.List;
import java.util.Locale;

/**
 * Typed, validated reads from one config section. Every failure names the full key and what is allowed,
 * so a user fixes a bad file or override from the message alone.
 */
final class ConfReader {
    private final Config config;
    private final String prefix;

    ConfReader(Config config, String prefix) {
        this.config = config.getConfig(prefix);
        this.prefix = prefix;
    }

    private String key(String k) {
        return prefix + "." + k;
    }

    String string(String k) {
        try {
            return config.getString(k);
        } catch (ConfigException e) {
            throw bad(k, "expected a string");
        }
    }

    boolean bool(String k) {
        try {
            return config.getBoolean(k);
        } catch (ConfigException e) {
            throw bad(k, "expected true or false");
        }
    }

    int intAtLeast(String k, int min) {
        int v;
        try {
            v = config.getInt(k);
        } catch (ConfigException e) {
            throw bad(k, "expected an integer");
        }
        if (v < min) {
            throw bad(k, "must be >= " + min + ", got " + v);
        }
        return v;
    }

    long longAtLeast(String k, long min) {
        long v;
        try {
            v = config.getLong(k);
        } catch (ConfigException e) {
            throw bad(k, "expected an integer");
        }
        if (v < min) {
            throw bad(k, "must be >= " + min + ", got " + v);
        }
        return v;
    }

    double fraction(String k) {
        double v = number(k);
        if (v < 0 || v >= 1) {
            throw bad(k, "must be in [0, 1), got " + v);
        }
        return v;
    }

    double positive(String k) {
        double v = number(k);
        if (!(v > 0) || Double.isInfinite(v)) {
            throw bad(k, "must be a positive number, got " + v);
        }
        return v;
    }

    double nonNegative(String k) {
        double v = number(k);
        if (!(v >= 0) || Double.isInfinite(v)) {
            throw bad(k, "must be a number >= 0, got " + v);
        }
        return v;
    }

    private double number(String k) {
        try {
            return config.getDouble(k);
        } catch (ConfigException e) {
            throw bad(k, "expected a number");
        }
    }

    double[] doublesOrEmpty(String k) {
        try {
            return config.getDoubleList(k).stream().mapToDouble(Double::doubleValue).toArray();
        } catch (ConfigException e) {
            throw bad(k, "expected a list of numbers, e.g. [0.5, 99.5] or []");
        }
    }

    int[] intsOrEmpty(String k) {
        try {
            return config.getIntList(k).stream().mapToInt(Integer::intValue).toArray();
        } catch (ConfigException e) {
            throw bad(k, "expected a list of integers, e.g. [0] or []");
        }
    }

    int[] positiveIntsOrEmpty(String k) {
        try {
            if (config.getIntList(k).isEmpty()) {
                return new int[0];
            }
        } catch (ConfigException e) {
            throw bad(k, "expected a list of integers, e.g. [64, 64], or []");
        }
        return positiveInts(k);
    }

    int[] positiveInts(String k) {
        List<Integer> list;
        try {
            list = config.getIntList(k);
        } catch (ConfigException e) {
            throw bad(k, "expected a list of integers, e.g. [32, 16]");
        }
        if (list.isEmpty()) {
            throw bad(k, "must not be empty");
        }
        int[] out = new int[list.size()];
        for (int i = 0; i < out.length; i++) {
            out[i] = list.get(i);
            if (out[i] <= 0) {
                throw bad(k, "entries must be positive, got " + list);
            }
        }
        return out;
    }

    /** Reads one of the enum's constants, written in kebab case (center-crop → CENTER_CROP). */
    <E extends Enum<E>> E oneOf(String k, Class<E> type) {
        String raw = string(k);
        String name = raw.trim().toUpperCase(Locale.ROOT).replace('-', '_');
        for (E e : type.getEnumConstants()) {
            if (e.name().equals(name)) {
                return e;
            }
        }
        String allowed = Arrays.stream(type.getEnumConstants())
                .map(e -> e.name().toLowerCase(Locale.ROOT).replace('_', '-'))
                .reduce((a, b) -> a + " | " + b).orElse("");
        throw bad(k, "'" + raw + "' is not one of " + allowed);
    }

    SparkCaeException bad(String k, String problem) {
        return SparkCaeException.usage("config key " + key(k) + ": " + problem);
    }
}
