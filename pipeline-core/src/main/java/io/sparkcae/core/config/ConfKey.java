package io.sparkcae.core.config;

import java.io.Serializable;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.function.Function;
import java.util.stream.Collectors;

/**
 * One configuration key (relative to {@code sparkcae.}) and how its value is read from a validated
 * {@link SparkCaeConf}, in the form the config file writes it: enums as their lower-case, hyphenated
 * names, lists as int arrays. Its default is the value in the built-in defaults, so an API built on
 * these keys (the Spark ML estimator's Params) never restates a default.
 *
 * @param <T> Integer, Long, Double, Boolean, String or int[]
 */
public final class ConfKey<T> implements Serializable {
    private static final long serialVersionUID = 1L;
    private final String path;
    private final SerializableGetter<T> getter;

    /** Reads one value out of a configuration; serializable so keys may sit inside Spark closures. */
    public interface SerializableGetter<T> extends Function<SparkCaeConf, T>, Serializable {
    }

    private ConfKey(String path, SerializableGetter<T> getter) {
        this.path = path;
        this.getter = getter;
    }

    public static <T> ConfKey<T> of(String path, SerializableGetter<T> getter) {
        return new ConfKey<>(path, getter);
    }

    /** A key whose value is an enum, read and written as its config spelling (e.g. {@code zero-pad}). */
    public static <E extends Enum<E>> ConfKey<String> ofEnum(String path, SerializableGetter<E> getter) {
        return new ConfKey<>(path, c -> spelling(getter.apply(c)));
    }

    /** An enum constant as the config file writes it. */
    public static String spelling(Enum<?> e) {
        return e.name().toLowerCase(Locale.ROOT).replace('_', '-');
    }

    /** The config file's spellings of an enum's constants, for validation and messages. */
    public static String[] spellings(Class<? extends Enum<?>> type) {
        return Arrays.stream(type.getEnumConstants()).map(ConfKey::spelling).toArray(String[]::new);
    }

    public String path() {
        return path;
    }

    public T valueIn(SparkCaeConf conf) {
        return getter.apply(conf);
    }

    /** The value in the built-in defaults ({@code conf/sparkcae-defaults.conf}). */
    public T defaultValue() {
        return valueIn(SparkCaeConf.defaults());
    }

    /** A value of this key as {@link SparkCaeConf#with} takes it (lists as lists). */
    public static Object toConfigValue(Object value) {
        if (value instanceof int[] ints) {
            List<Integer> list = Arrays.stream(ints).boxed().collect(Collectors.toList());
            return list;
        }
        return value;
    }

    @Override
    public String toString() {
        return LayeredConfigLoader.ROOT + "." + path;
    }
}
