package io.sparkcae.jobs.deploy;

import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.sparkcae.core.config.DataConf;
import io.sparkcae.jobs.cli.SparkCaeCli;
import org.apache.logging.log4j.LogManager;
import org.apache.logging.log4j.core.LoggerContext;
import org.apache.logging.log4j.core.config.Configurator;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Assertions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * deploy/airflow/sparkcae_dag.py: it compiles, and every command its tasks pass to spark-submit is one the
 * real CLI accepts (validated with --dry-run in this JVM). Airflow itself is not needed: the DAG module
 * exposes stage_commands(run_date), and a stub Airflow ({@link AirflowStub}) with a stand-in spark-submit
 * runs its tasks: the arguments they pass, the date-keyed paths, the JVM flags resolved when a task runs, and
 * which exit codes are retried.
 */
class AirflowDagTest {
    /** Debian's interpreter, where .ci/run installs the modules the DAG and the stub Airflow need. */
    static final String PYTHON = Files.isExecutable(Path.of("/usr/bin/python3")) ? "/usr/bin/python3" : "python3";
    private static final String DAG = "deploy/airflow/sparkcae_dag.py";
    private static final String RUN_DATE = "2026-11-23";

    @TempDir
    static Path tmp;

    private static URI logConfigBefore;

    @BeforeAll
    static void requirePython() {
        Assertions.assertEquals(0, python("-c", "import sys; assert sys.version_info >= (3, 8)").code,
                "python3 >= 3.8 not found");
        logConfigBefore = ((LoggerContext) LogManager.getContext(false)).getConfigLocation();
    }

    /** The DAG's commands say --log-format json, which reconfigures this JVM's logging: undo it. */
    @AfterAll
    static void restoreLogging() throws Exception {
        // The text configuration tests use, named explicitly: the "current" location is the JSON one now.
        java.net.URL text = AirflowDagTest.class.getResource("/log4j2-test.properties");
        if (text != null) {
            Configurator.reconfigure(text.toURI());
        } else if (logConfigBefore != null) {
            Configurator.reconfigure(logConfigBefore);
        }
    }

    @Test
    void dagCompiles() {
        Result r = python("-m", "py_compile", repoRoot().resolve(DAG).toString());
        assertEquals(0, r.code, r.output);
    }

    @Test
    void everyStageCommandPassesTheCliDryRun() throws IOException {
        List<List<String>> commands = stageCommands(RUN_DATE);
        assertEquals(List.of("prep", "train", "encode", "score"), commands.stream().map(c -> c.get(0)).toList());
        for (List<String> command : commands) {
            assertTrue(command.containsAll(List.of("--if-exists", "skip")), "retries must be idempotent: " + command);
            assertEquals(tmp.resolve("runs").resolve(RUN_DATE).toString(), command.get(command.indexOf("--run-dir") + 1),
                    "run dir must carry the run date: " + command);
            if (command.get(0).equals("prep")) {
                assertEquals(tmp.resolve("landing").resolve(RUN_DATE).toString(), command.get(command.indexOf("--data") + 1),
                        "input must carry the run date: " + command);
            }
            List<String> args = new ArrayList<>(command);
            args.add("--dry-run");
            StringWriter err = new StringWriter();
            int code = SparkCaeCli.execute(new PrintWriter(err, true), args.toArray(String[]::new));
            if (command.get(0).equals("prep")) {
                assertEquals(0, code, "sparkcae " + String.join(" ", args) + ": " + err);
            } else {
                // A dry run also checks the previous stage's output, which a DAG that never ran has not made:
                // flags and config are valid when that is the only complaint.
                assertTrue(code == 0 || code == 2 && err.toString().matches("(?s).*run 'sparkcae (prep|train)' first.*"),
                        "sparkcae " + String.join(" ", args) + ": " + err);
            }
        }
    }

    @Test
    void aBrokenCommandFailsTheDryRunWithExit2() throws IOException {
        List<String> args = new ArrayList<>(stageCommands(RUN_DATE).get(1));
        args.addAll(List.of("--set", "train.no-such-key=1", "--dry-run"));
        StringWriter err = new StringWriter();
        int code = SparkCaeCli.execute(new PrintWriter(err, true), args.toArray(String[]::new));
        assertEquals(2, code, err.toString());
        assertTrue(err.toString().contains("no-such-key"), err.toString());
    }

    /** With a stub Airflow, the DAG builds prep >> train >> encode >> score, each operator with stage_commands' args. */
    @Test
    void operatorsPassTheStageCommands() throws IOException {
        Map<String, Object> dag = describeDag(Map.of());
        assertEquals("sparkcae", dag.get("dag"));
        assertTrue((Integer) dag.get("retries") > 0);
        List<Map<String, Object>> tasks = tasks(dag);
        assertEquals(List.of("prep", "train", "encode", "score"), tasks.stream().map(t -> t.get("id")).toList());
        assertEquals(dag.get("expected"), tasks.stream().map(t -> t.get("args")).toList());
        assertEquals(List.of("train"), tasks.get(0).get("downstream"));
        assertEquals(List.of("encode"), tasks.get(1).get("downstream"));
        assertEquals(List.of("score"), tasks.get(2).get("downstream"));
        for (Map<String, Object> t : tasks) {
            assertEquals(SparkCaeCli.class.getName(), t.get("class"));
            // nothing is resolved while the DAG is parsed: no Spark settings yet, the deploy mode set here only
            assertNull(t.get("conf"), t.toString());
            assertEquals("client", t.get("deploy_mode"), t.toString());
            @SuppressWarnings("unchecked")
            List<String> args = (List<String>) t.get("args");
            assertTrue(args.contains("--run-dir") && args.get(args.indexOf("--run-dir") + 1).endsWith("/{{ ds }}"), args.toString());
        }
    }

    /** SPARKCAE_MODEL: no train task; encode and score apply the given model. */
    @Test
    void aGivenModelReplacesTheTrainTask() throws IOException {
        Map<String, Object> dag = describeDag(Map.of("SPARKCAE_MODEL", "hdfs:///sparkcae/runs/{{ macros.ds_add(ds, -1) }}/train"));
        List<Map<String, Object>> tasks = tasks(dag);
        assertEquals(List.of("prep", "encode", "score"), tasks.stream().map(t -> t.get("id")).toList());
        assertEquals(List.of("encode"), tasks.get(0).get("downstream"));
        assertEquals(List.of("score"), tasks.get(1).get("downstream"));
        for (Map<String, Object> t : tasks) {
            @SuppressWarnings("unchecked")
            List<String> args = (List<String>) t.get("args");
            boolean applies = !t.get("id").equals("prep");
            assertEquals(applies, args.contains("--model"), args.toString());
            if (applies) {
                assertEquals("hdfs:///sparkcae/runs/{{ macros.ds_add(ds, -1) }}/train", args.get(args.indexOf("--model") + 1));
            }
        }
    }

    /**
     * The task as a scheduler runs it, spark-submit standing in: run dir and input carry the logical date, and the
     * JVM flags of conf/jvm.properties (read by deploy/jvm-options.sh when the task runs) reach driver and executors.
     */
    @Test
    void aTaskRunsWithDateKeyedPathsAndTheJvmFlags() throws IOException {
        Path landing = Files.createDirectories(tmp.resolve("landing"));
        Outcome run = runTask("prep", 0, Map.of("SPARKCAE_DATA_ROOT", landing.toString()));
        assertEquals("success", run.state, run.toString());
        assertEquals(1, run.calls.size(), run.toString());
        List<String> call = run.calls.get(0);
        assertEquals(tmp.resolve("runs").resolve(RUN_DATE).toString(), valueAfter(call, "--run-dir"), call.toString());
        assertEquals(landing.resolve(RUN_DATE).toString(), valueAfter(call, "--data"), call.toString());
        assertEquals("sparkcae-prep-" + RUN_DATE, valueAfter(call, "--name"), call.toString());
        assertEquals(1, java.util.Collections.frequency(call, "--deploy-mode"), call.toString());
        assertEquals("client", valueAfter(call, "--deploy-mode"), call.toString());
        String flags = jvmOptionsSh();
        Map<String, String> conf = confs(call);
        assertTrue(conf.get("spark.driver.defaultJavaOptions").startsWith(flags + " "), conf.toString());
        assertTrue(conf.get("spark.executor.defaultJavaOptions").startsWith(flags + " "), conf.toString());
        assertTrue(flags.contains("-Dorg.eclipse.deeplearning4j.helpers.disable=false"), flags);
        assertEquals("true", conf.get("spark.authenticate"), conf.toString());
        assertEquals("true", conf.get("spark.network.crypto.enabled"), conf.toString());
        assertEquals("true", conf.get("spark.io.encryption.enabled"), conf.toString());

        // SPARKCAE_DATA may hold the template itself
        Outcome templated = runTask("prep", 0, Map.of("SPARKCAE_DATA", landing + "/day={{ ds }}/images"));
        assertEquals(landing + "/day=" + RUN_DATE + "/images", valueAfter(templated.calls.get(0), "--data"), templated.toString());
    }

    /** SPARKCAE_DEPLOY_MODE alone sets the mode: a connection saying otherwise is overridden. */
    @Test
    void theDeployModeComesFromOnePlace() throws IOException {
        Path config = tmp.resolve("mode.conf");
        Files.writeString(config, "sparkcae { train { epochs = 1 } }\n");
        Outcome run = runTask("train", 0, Map.of("SPARKCAE_DEPLOY_MODE", "cluster", "STUB_CONN_DEPLOY_MODE", "client",
                "SPARKCAE_CONFIG", config.toString()));
        assertEquals("success", run.state, run.toString());
        List<String> call = run.calls.get(0);
        assertEquals(1, java.util.Collections.frequency(call, "--deploy-mode"), call.toString());
        assertEquals("cluster", valueAfter(call, "--deploy-mode"), call.toString());
        // cluster mode: the config travels with --files and is named by its file name in the driver's container
        assertEquals("mode.conf", valueAfter(call, "--config"), call.toString());
        assertTrue(valueAfter(call, "--files").contains(config.toString()), call.toString());
        assertEquals("1", confs(call).get("spark.yarn.maxAppAttempts"), call.toString());
        assertTrue(call.contains("--resume"), call.toString());
    }

    /** Exit 2 (usage/config) and 3 (bad data) fail at once; 4 (diverged) and 5 (environment) are retried. */
    @Test
    void retriesFollowTheExitCode() throws IOException {
        for (int code : new int[]{2, 3}) {
            Outcome run = runTask("train", code, Map.of());
            assertEquals("failed", run.state, run.toString());
            assertEquals(1, run.tries, "exit " + code + " must not be retried: " + run);
            assertEquals(1, run.calls.size(), run.toString());
            assertTrue(run.errors.get(0).startsWith("no retry: sparkcae exited with " + code), run.toString());
        }
        for (int code : new int[]{4, 5}) {
            Outcome run = runTask("train", code, Map.of());
            assertEquals("failed", run.state, run.toString());
            assertEquals(run.retries + 1, run.tries, "exit " + code + " must be retried: " + run);
            assertEquals(run.tries, run.calls.size(), run.toString());
            assertTrue(run.errors.stream().allMatch(e -> e.startsWith("retryable: ")), run.toString());
        }
        Outcome ok = runTask("train", 0, Map.of());
        assertEquals("success", ok.state, ok.toString());
        assertEquals(1, ok.tries, ok.toString());
    }

    /** Kubernetes cluster mode: spark-submit ends 0 and the driver's exit code comes from its log; same decision. */
    @Test
    void onKubernetesInClusterModeTheDriverExitCodeDecides() throws IOException {
        Map<String, String> k8s = Map.of("STUB_SPARK_MASTER", "k8s://https://127.0.0.1:6443", "SPARKCAE_DEPLOY_MODE", "cluster");
        Outcome data = runTask("encode", 3, k8s);
        assertEquals(1, data.tries, data.toString());
        assertEquals("failed", data.state, data.toString());
        Outcome internal = runTask("encode", 5, k8s);
        assertEquals(internal.retries + 1, internal.tries, internal.toString());
        Outcome ok = runTask("encode", 0, k8s);
        assertEquals("success", ok.state, ok.toString());
    }

    /**
     * A wrong SPARKCAE_HOME (or any bad setting) is not an import error in the scheduler: the DAG imports, and
     * its task fails without retry, naming the setting, before spark-submit starts.
     */
    @Test
    void aBogusSettingFailsTheTaskNotTheImport() throws IOException {
        Map<String, Object> dag = describeDag(Map.of("SPARKCAE_HOME", "/nonexistent/sparkcae", "SPARKCAE_LOG_FORMAT", "xml",
                "SPARKCAE_SPARK_SECURITY", "maybe"));
        assertEquals(List.of("prep", "train", "encode", "score"), tasks(dag).stream().map(t -> t.get("id")).toList());

        Outcome home = runTask("prep", 0, Map.of("SPARKCAE_HOME", "/nonexistent/sparkcae"));
        assertEquals("failed", home.state, home.toString());
        assertEquals(1, home.tries, home.toString());
        assertEquals(List.of(), home.calls, home.toString());
        assertTrue(home.errors.get(0).contains("sparkcae: error: SPARKCAE_HOME=/nonexistent/sparkcae"), home.toString());

        Outcome format = runTask("prep", 0, Map.of("SPARKCAE_LOG_FORMAT", "xml"));
        assertEquals(1, format.tries, format.toString());
        assertTrue(format.errors.get(0).contains("SPARKCAE_LOG_FORMAT=xml: expected json or text"), format.toString());
        assertEquals(List.of(), format.calls, format.toString());
    }

    /** The stub hook's failure messages are the provider's: the parser reads the code from each. */
    @Test
    void exitCodeIsReadFromTheProvidersMessages() {
        Result r = python(Map.of("PYTHONPATH", repoRoot().resolve("deploy/airflow").toString()), "-c", """
                import sparkcae_dag as m
                cases = {"Cannot execute: spark-submit --master yarn app.jar train. Error code is: 3.": 3,
                         "Cannot execute: spark-submit x. Error code is: 0. Kubernetes spark exit code is: 2": 2,
                         "Cannot execute: spark-submit x. Error code is: 1. Kubernetes spark exit code is: None": 1,
                         "Cannot execute: spark-submit x. Error code is: 137.": 137,
                         "ERROR : Driver driver-2026 badly exited with status FAILED": None}
                for message, code in cases.items():
                    assert m.exit_code_of(message) == code, (message, m.exit_code_of(message))
                assert [c for c in range(0, 8) if not m.retryable(c)] == [2, 3]
                assert m.retryable(None)
                print("ok")
                """);
        assertEquals(0, r.code, r.output);
        assertEquals("ok", r.output);
    }

    private static Map<String, Object> describeDag(Map<String, String> settings) throws IOException {
        Path stubs = stubs();
        Map<String, String> env = new java.util.HashMap<>(settings);
        env.put("PYTHONPATH", stubs + ":" + repoRoot().resolve("deploy/airflow"));
        Result r = python(env, "-c", """
                import json, sparkcae_dag as m
                d = m.dag
                print(json.dumps({"dag": d.dag_id, "retries": d.kwargs["default_args"]["retries"],
                    "tasks": [{"id": t.task_id, "args": t.application_args, "class": t._java_class, "conf": t.conf,
                               "deploy_mode": t._deploy_mode, "downstream": t.downstream} for t in d.tasks],
                    "expected": m.stage_commands("{{ ds }}")}))
                """);
        assertEquals(0, r.code, r.output);
        return new ObjectMapper().readValue(r.output, new TypeReference<>() {
        });
    }

    @SuppressWarnings("unchecked")
    private static List<Map<String, Object>> tasks(Map<String, Object> dag) {
        return (List<Map<String, Object>>) dag.get("tasks");
    }

    private record Outcome(String state, int tries, int retries, List<String> errors, List<List<String>> calls) {
        /** Short: the command lines hold every JVM flag. */
        @Override
        public String toString() {
            return "state=" + state + " tries=" + tries + " retries=" + retries + " spark-submit calls=" + calls.size()
                    + " errors=" + errors.stream().map(e -> e.length() > 160 ? e.substring(0, 80) + " ... " + e.substring(e.length() - 80) : e).toList();
        }
    }

    /** Runs one task of the DAG with the stub scheduler; the stand-in spark-submit exits with exitCode. */
    private static Outcome runTask(String stage, int exitCode, Map<String, String> settings) throws IOException {
        Path stubs = stubs();
        Path calls = Files.createTempDirectory(tmp, "calls");
        Path jar = tmp.resolve("sparkcae-app.jar");
        if (!Files.exists(jar)) {
            Files.createFile(jar);
        }
        Map<String, String> env = new java.util.HashMap<>();
        env.put("PYTHONPATH", stubs + ":" + repoRoot().resolve("deploy/airflow"));
        env.put("PATH", stubs.resolve("bin") + ":" + System.getenv("PATH"));
        env.put("SPARKCAE_RUN_ROOT", tmp.resolve("runs").toString());
        env.put("SPARKCAE_APP_JAR", jar.toString());
        env.put("STUB_SPARK_CALLS", calls.toString());
        env.put("STUB_SPARK_EXIT", Integer.toString(exitCode));
        env.putAll(settings);
        Result r = python(env, stubs.resolve("run_task.py").toString(), stage, RUN_DATE);
        String line = r.output.lines().filter(l -> l.startsWith("RESULT ")).findFirst()
                .orElseThrow(() -> new AssertionError("no result from run_task.py: " + r.output));
        Map<String, Object> result = new ObjectMapper().readValue(line.substring("RESULT ".length()), new TypeReference<>() {
        });
        List<List<String>> recorded = new ArrayList<>();
        try (java.util.stream.Stream<Path> files = Files.list(calls)) {
            for (Path f : files.sorted().toList()) {
                recorded.add(Files.readAllLines(f));
            }
        }
        @SuppressWarnings("unchecked")
        List<String> errors = (List<String>) result.get("errors");
        return new Outcome((String) result.get("state"), (Integer) result.get("tries"), (Integer) result.get("retries"),
                errors, recorded);
    }

    private static Path stubs() throws IOException {
        Assertions.assertEquals(0, python("-c", "import jinja2").code, "the stub Airflow renders templates with jinja2:"
                + " apt-get install -y python3-jinja2 (.ci/run does)");
        Path stubs = tmp.resolve("stubs");
        if (!Files.exists(stubs.resolve("run_task.py"))) {
            AirflowStub.write(stubs);
        }
        return stubs;
    }

    private static String valueAfter(List<String> args, String option) {
        int i = args.indexOf(option);
        assertTrue(i >= 0 && i + 1 < args.size(), option + " missing in " + args);
        return args.get(i + 1);
    }

    private static Map<String, String> confs(List<String> call) {
        Map<String, String> conf = new java.util.HashMap<>();
        for (int i = 0; i + 1 < call.size(); i++) {
            if (call.get(i).equals("--conf")) {
                String kv = call.get(i + 1);
                conf.put(kv.substring(0, kv.indexOf('=')), kv.substring(kv.indexOf('=') + 1));
            }
        }
        return conf;
    }

    /** The flags as the launchers read them (deploy/jvm-options.sh). */
    private static String jvmOptionsSh() throws IOException {
        Process p = new ProcessBuilder("bash", "-c", "source deploy/jvm-options.sh && sparkcae_jvm_options .")
                .directory(repoRoot().toFile()).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8).strip();
        try {
            assertEquals(0, p.waitFor(), out);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException(e);
        }
        return out;
    }

    /**
     * The commands for runDate with a config file and the default input layout: prep reads
     * {@code <SPARKCAE_DATA_ROOT>/<runDate>}, here a link to the Fashion-MNIST folder.
     */
    private static List<List<String>> stageCommands(String runDate) throws IOException {
        Path config = tmp.resolve("sparkcae.conf");
        write(config, "sparkcae { train { epochs = 1 } }\n");
        Path landing = Files.createDirectories(tmp.resolve("landing"));
        if (!Files.exists(landing.resolve(runDate), java.nio.file.LinkOption.NOFOLLOW_LINKS)) {
            Files.createSymbolicLink(landing.resolve(runDate), Path.of(DataConf.FASHION_MNIST_DIR));
        }
        Result r = python(Map.of("PYTHONPATH", repoRoot().resolve("deploy/airflow").toString(),
                        "SPARKCAE_RUN_ROOT", tmp.resolve("runs").toString(),
                        "SPARKCAE_DATA_ROOT", landing.toString(),
                        "SPARKCAE_CONFIG", config.toString()),
                "-c", "import json, sparkcae_dag as m; print(json.dumps(m.stage_commands('" + runDate + "')))");
        assertEquals(0, r.code, r.output);
        return new ObjectMapper().readValue(r.output, new TypeReference<>() {
        });
    }

    /** The repository root: Surefire's sparkcae.repo.root, else the first parent holding the DAG. */
    static Path repoRoot() {
        String prop = System.getProperty("sparkcae.repo.root");
        if (prop != null && !prop.isBlank() && Files.isRegularFile(Path.of(prop).resolve(DAG))) {
            return Path.of(prop);
        }
        for (Path p = Path.of("").toAbsolutePath(); p != null; p = p.getParent()) {
            if (Files.isRegularFile(p.resolve(DAG))) {
                return p;
            }
        }
        throw new IllegalStateException("repository root with " + DAG + " not found from " + Path.of("").toAbsolutePath());
    }

    private static void write(Path file, String text) throws IOException {
        Files.createDirectories(file.getParent());
        Files.writeString(file, text);
    }

    private record Result(int code, String output) {
    }

    private static Result python(String... args) {
        return python(Map.of(), args);
    }

    private static Result python(Map<String, String> env, String... args) {
        List<String> cmd = new ArrayList<>();
        cmd.add(PYTHON);
        cmd.addAll(List.of(args));
        ProcessBuilder pb = new ProcessBuilder(cmd).redirectErrorStream(true);
        pb.environment().putAll(env);
        // keep __pycache__ out of the source tree
        pb.environment().put("PYTHONPYCACHEPREFIX", System.getProperty("java.io.tmpdir") + "/sparkcae-pycache");
        try {
            Process p = pb.start();
            byte[] out = p.getInputStream().readAllBytes();
            if (!p.waitFor(60, TimeUnit.SECONDS)) {
                p.destroyForcibly();
                return new Result(-1, "python3 timed out");
            }
            return new Result(p.exitValue(), new String(out, StandardCharsets.UTF_8).strip());
        } catch (IOException e) {
            return new Result(-1, "python3 not runnable: " + e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return new Result(-1, "interrupted");
        }
    }
}
