package io.sparkcae.jobs.cli;

import io.sparkcae.core.config.LayeredConfigLoader;
import io.sparkcae.core.config.SparkCaeConf;
import io.sparkcae.jobs.common.IfExists;
import io.sparkcae.jobs.common.StageContext;
import picocli.CommandLine.Option;

import java.io.File;
import java.util.ArrayList;
import java.util.List;

/** Options every stage takes; mixed into each subcommand so they may follow the subcommand name. */
public final class CommonOptions {
    @Option(names = "--config", paramLabel = "FILE", description = "Configuration file (HOCON/JSON); overrides conf/sparkcae-defaults.conf.")
    File config;

    @Option(names = "--set", paramLabel = "KEY=VALUE", description = "Override one config key, e.g. --set train.epochs=5 (repeatable).")
    List<String> sets = new ArrayList<>();

    @Option(names = "--data", paramLabel = "PATH", description = "Input data (IDX file/folder or image folder); same as --set data.input=PATH.")
    String data;

    @Option(names = "--run-dir", paramLabel = "DIR", description = "Directory (local path or Hadoop URI) holding this run's stage outputs. Default: ${DEFAULT-VALUE}.")
    String runDir = "runs/default";

    @Option(names = "--if-exists", paramLabel = "POLICY", description = "When a stage's output already exists: ${COMPLETION-CANDIDATES}. Default: ${DEFAULT-VALUE}.")
    IfExists ifExists = IfExists.FAIL;

    @Option(names = "--dry-run", description = "Validate the configuration and paths, then exit without running anything.")
    boolean dryRun;

    /** Loads and validates the configuration; explicit flags win over --set, which wins over the file. */
    StageContext context() {
        List<String> overrides = new ArrayList<>(sets);
        if (data != null) {
            overrides.add("data.input=" + data);
        }
        SparkCaeConf conf = LayeredConfigLoader.load(config, overrides);
        return new StageContext(conf, runDir, ifExists);
    }
}
