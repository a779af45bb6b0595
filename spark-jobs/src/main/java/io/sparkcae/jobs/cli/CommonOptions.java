package io.sparkcae.jobs.cli;

import io.sparkcae.core.config.LayeredConfigLoader;
import io.sparkcae.core.config.SparkCaeConf;
import io.sparkcae.jobs.common.IfExists;
import io.sparkcae.jobs.common.StageContext;
import picocli.CommandLine.Option;

import java.io.File;
import java.net.URI;
import java.net.URL;
import java.nio.file.Path;
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

    @Option(names = "--verbose", description = "Also print stack traces and Spark's task-failure lines on stderr (they always go to <run-dir>/logs/).")
    boolean verbose;

    /** Format of this process's log lines. */
    public enum LogFormat { TEXT, JSON }

    /** Resource (bundled from conf/log4j2-json.properties) used by --log-format json. */
    static final String JSON_LOG_CONFIG = "log4j2-json.properties";
    /** System property naming another JSON logging configuration (path or URI). */
    static final String JSON_LOG_CONFIG_PROPERTY = "sparkcae.log4j2.json";

    LogFormat logFormat = LogFormat.TEXT;

    /** Applied as soon as it is parsed, so the stage's first log line already has the chosen format. */
    @Option(names = "--log-format", paramLabel = "FORMAT", description = "Log lines of this process: text (as configured) | json (one JSON object per line, conf/log4j2-json.properties). Default: text.")
    void logFormat(LogFormat format) {
        if (format == null) {
            return;
        }
        logFormat = format;
        if (format == LogFormat.JSON) {
            useJsonLogging();
        }
    }

    /** Reconfigures Log4j2 (Spark's logging backend) with the JSON configuration. */
    static void useJsonLogging() {
        String override = System.getProperty(JSON_LOG_CONFIG_PROPERTY, "");
        try {
            URI uri;
            if (!override.isBlank()) {
                uri = override.matches("^[a-zA-Z][a-zA-Z0-9+.-]+:.*") ? URI.create(override) : Path.of(override).toUri();
            } else {
                URL url = CommonOptions.class.getResource(JSON_LOG_CONFIG);
                if (url == null) {
                    throw new IllegalStateException(JSON_LOG_CONFIG + " is not on the classpath");
                }
                uri = url.toURI();
            }
            org.apache.logging.log4j.core.config.Configurator.reconfigure(uri);
        } catch (Exception | LinkageError e) {
            // Logging must never stop a stage: keep the configured format and say why.
            System.err.println("sparkcae: warning: --log-format json not applied: " + e);
        }
    }

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
