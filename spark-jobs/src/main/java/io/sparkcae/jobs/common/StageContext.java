package io.sparkcae.jobs.common;

import io.sparkcae.core.config.SparkCaeConf;
import org.apache.hadoop.fs.Path;

/**
 * What every stage gets from the CLI: the validated configuration, the run directory and the
 * if-exists policy. Stage output directories live under the run directory by fixed names, so a later
 * stage finds an earlier one's committed output without extra flags. {@code prepRunDir} is where the prep
 * output is read from: the run directory itself, except for a sub-run (rom's latent-size sweep) that trains
 * into its own directory on its parent's patches.
 */
public record StageContext(SparkCaeConf conf, String runDir, IfExists ifExists, String prepRunDir) {
    public static final String PREP_DIR = "prep";
    public static final String TRAIN_DIR = "train";
    public static final String ENCODE_DIR = "encode";

    public StageContext(SparkCaeConf conf, String runDir, IfExists ifExists) {
        this(conf, runDir, ifExists, runDir);
    }

    public String stageDir(String stage) {
        return new Path(PREP_DIR.equals(stage) ? prepRunDir : runDir, stage).toString();
    }

    /** The patch dataset inside prep's output. */
    public String patchesDir() {
        return new Path(stageDir(PREP_DIR), "patches").toString();
    }

    /** A run under {@code subRunDir} with its own config and policy that reads this run's prep output. */
    public StageContext subRun(String subRunDir, SparkCaeConf subConf, IfExists policy) {
        return new StageContext(subConf, subRunDir, policy, prepRunDir);
    }
}
