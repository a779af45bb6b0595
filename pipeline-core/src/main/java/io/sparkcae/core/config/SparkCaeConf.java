package io.sparkcae.core.config;

import com.typesafe.config.Config;
import com.typesafe.config.ConfigRenderOptions;
import io.sparkcae.core.model.ModelSpec;

import java.io.Serializable;

/**
 * The whole validated configuration of a run. Built only by {@link LayeredConfigLoader}; every section is
 * read and checked at construction, so a bad value fails before any Spark work starts.
 */
public final class SparkCaeConf implements Serializable {
    private static final long serialVersionUID = 1L;

    private final long seed;
    private final DataConf data;
    private final PatchConf patch;
    private final PrepConf prep;
    private final ModelSpec model;
    private final TrainConf train;
    private final EncodeConf encode;
    private final ScoreConf score;
    private final RomConf rom;
    private final String json;

    private SparkCaeConf(long seed, DataConf data, PatchConf patch, PrepConf prep, ModelSpec model, TrainConf train,
                         EncodeConf encode, ScoreConf score, RomConf rom, String json) {
        this.seed = seed;
        this.data = data;
        this.patch = patch;
        this.prep = prep;
        this.model = model;
        this.train = train;
        this.encode = encode;
        this.score = score;
        this.rom = rom;
        this.json = json;
    }

    /** The built-in defaults under their default preset, with no user file or overrides; loaded once. */
    public static SparkCaeConf defaults() {
        return Defaults.INSTANCE;
    }

    /** Holder: loaded on first use, then shared (the configuration is immutable). */
    private static final class Defaults {
        static final SparkCaeConf INSTANCE = LayeredConfigLoader.load(null, java.util.List.of());
    }

    static SparkCaeConf from(Config root) {
        ConfReader top = new ConfReader(root.atKey(LayeredConfigLoader.ROOT), LayeredConfigLoader.ROOT);
        long seed = top.longAtLeast("seed", 0);
        return new SparkCaeConf(seed,
                DataConf.read(section(root, "data")),
                PatchConf.read(section(root, "patch")),
                PrepConf.read(section(root, "prep")),
                ModelSpecReader.read(section(root, "model")),
                TrainConf.read(section(root, "train")),
                EncodeConf.read(section(root, "encode")),
                ScoreConf.read(section(root, "score")),
                RomConf.read(section(root, "rom")),
                root.root().render(ConfigRenderOptions.concise().setFormatted(true)));
    }

    private static ConfReader section(Config root, String name) {
        return new ConfReader(root.atKey(LayeredConfigLoader.ROOT), LayeredConfigLoader.ROOT + "." + name);
    }

    public long seed() {
        return seed;
    }

    public DataConf data() {
        return data;
    }

    public PatchConf patch() {
        return patch;
    }

    public PrepConf prep() {
        return prep;
    }

    public ModelSpec model() {
        return model;
    }

    public TrainConf train() {
        return train;
    }

    public EncodeConf encode() {
        return encode;
    }

    public ScoreConf score() {
        return score;
    }

    public RomConf rom() {
        return rom;
    }

    /**
     * This configuration with some keys (relative to {@code sparkcae.}, e.g. {@code model.latent-dim}) set to
     * other values, validated like the original: how rom derives one training config per latent size.
     */
    public SparkCaeConf with(java.util.Map<String, Object> values) {
        com.typesafe.config.Config c = com.typesafe.config.ConfigFactory.parseString(json);
        if (values.containsKey("model.preset")) {
            // a preset's keys are laid in when the configuration is loaded; changing the name here would apply none
            throw new IllegalArgumentException("model.preset is applied when the configuration is loaded (a config"
                    + " file or --set), not to a loaded configuration");
        }
        for (java.util.Map.Entry<String, Object> e : values.entrySet()) {
            if (!c.hasPath(e.getKey())) {
                throw new IllegalArgumentException("unknown configuration key " + e.getKey());
            }
            c = c.withValue(e.getKey(), com.typesafe.config.ConfigValueFactory.fromAnyRef(e.getValue()));
        }
        return from(c);
    }

    /** The effective configuration as JSON, stored beside every output so a run can be reproduced. */
    public String toJson() {
        return json;
    }
}
