package io.sparkcae.ml;

import io.sparkcae.core.config.ConfKey;
import io.sparkcae.core.config.LayeredConfigLoader;
import io.sparkcae.core.config.SparkCaeConf;
import org.apache.spark.ml.param.Param;
import org.apache.spark.ml.param.Params;

import java.io.File;
import java.io.Serializable;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Which Params of a stage stand for which configuration keys. A stage declares each such Param with its
 * {@link ConfKey}; the Param's default is the key's built-in default, and {@link #conf} turns the stage's
 * explicitly set Params into overrides of a configuration, validated by the same code as the config file.
 */
final class ConfParams implements Serializable {
    private static final long serialVersionUID = 1L;
    private final Map<String, ConfKey<?>> keys = new LinkedHashMap<>();

    /** Records that {@code param} stands for {@code key}; returns the param for field initialisers. */
    <P extends Param<?>> P bind(P param, ConfKey<?> key) {
        keys.put(param.name(), key);
        return param;
    }

    /**
     * The built-in defaults, or the configuration file when one is given, with every explicitly set Param
     * as an override.
     *
     * @param configFile a HOCON file like {@code --config} takes ("" = none)
     */
    SparkCaeConf conf(Params stage, String configFile) {
        SparkCaeConf base = configFile == null || configFile.isBlank() ? SparkCaeConf.defaults()
                : LayeredConfigLoader.load(new File(configFile), List.of());
        Map<String, Object> overrides = new LinkedHashMap<>();
        for (Map.Entry<String, ConfKey<?>> e : keys.entrySet()) {
            Param<?> p = stage.getParam(e.getKey());
            if (stage.isSet(p)) {
                overrides.put(e.getValue().path(), ConfKey.toConfigValue(stage.getOrDefault(p)));
            }
        }
        return overrides.isEmpty() ? base : base.with(overrides);
    }
}
