package io.sparkcae.jobs.common;

import io.sparkcae.core.config.SparkCaeConf;
import org.apache.hadoop.fs.Path;

/**
 * What every stage gets from the CLI: the validated configuration, the run directory and the
 * if-exists policy. Stage output directories live under the run directory by fixed names, so a later
 * stage finds an earlier one's committed output without extra flags.
 */
public record StageContext(SparkCaeConf conf, String runDir, IfExists ifExists) {
    public static final String PREP_DIR = "prep";
    public static final String TRAIN_DIR = "train";
    public static final String ENCODE_DIR = "encode";

    public String stageDir(String stage) {
        return new Path(runDir, stage).toString();
    }

    /** The patch dataset inside prep's output. */
    public String patchesDir() {
        return new Path(stageDir(PREP_DIR), "patches").toString();
    }
}
