package io.sparkcae.jobs.common;

import io.sparkcae.core.config.SparkCaeConf;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.Path;

/**
 * What every stage gets from the CLI: the validated configuration, the run directory and the
 * if-exists policy. Stage directories live under the run directory by fixed names, so a later stage finds an
 * earlier one's committed output without extra flags (through its commit marker, {@link CommittedStage}).
 * {@code prepRunDir} is where the prep output is read from: the run directory itself, except for a sub-run
 * (rom's latent-size sweep) that trains into its own directory on its parent's patches.
 */
public record StageContext(SparkCaeConf conf, String runDir, IfExists ifExists, String prepRunDir) {
    public static final String PREP_DIR = "prep";
    public static final String TRAIN_DIR = "train";
    public static final String ENCODE_DIR = "encode";
    public static final String SCORE_DIR = "score";
    public static final String PATCHES = "patches";

    public StageContext(SparkCaeConf conf, String runDir, IfExists ifExists) {
        this(conf, runDir, ifExists, runDir);
    }

    /** The stage directory (commit markers and attempts), not its output. */
    public String stageDir(String stage) {
        return new Path(PREP_DIR.equals(stage) ? prepRunDir : runDir, stage).toString();
    }

    /** The committed output of an earlier stage, or null when that stage has not committed here. */
    public CommittedStage committed(String stage, Configuration hadoop) {
        return CommittedStage.read(stageDir(stage), hadoop);
    }

    /** The committed output directory of an earlier stage; an error naming the command to run when absent. */
    public String committedDir(String stage, Configuration hadoop) {
        return CommittedStage.require(stageDir(stage), stage, hadoop).dir().toString();
    }

    /** The patch dataset inside prep's committed output. */
    public String patchesDir(Configuration hadoop) {
        return new Path(committedDir(PREP_DIR, hadoop), PATCHES).toString();
    }

    /** A run under {@code subRunDir} with its own config and policy that reads this run's prep output. */
    public StageContext subRun(String subRunDir, SparkCaeConf subConf, IfExists policy) {
        return new StageContext(subConf, subRunDir, policy, prepRunDir);
    }
}
