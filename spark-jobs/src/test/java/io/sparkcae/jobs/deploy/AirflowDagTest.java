package io.sparkcae.jobs.deploy;

import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.sparkcae.jobs.cli.SparkCaeCli;
import org.apache.logging.log4j.LogManager;
import org.apache.logging.log4j.core.LoggerContext;
import org.apache.logging.log4j.core.config.Configurator;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
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
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * deploy/airflow/sparkcae_dag.py: it compiles, and every command its tasks pass to spark-submit is one the
 * real CLI accepts (validated with --dry-run in this JVM). Airflow itself is not needed: the DAG module
 * exposes stage_commands(run_date); a stub Airflow checks that the operators get those same arguments.
 */
class AirflowDagTest {
    private static final String DAG = "deploy/airflow/sparkcae_dag.py";
    private static final String RUN_DATE = "2026-11-23";

    @TempDir
    static Path tmp;

    private static URI logConfigBefore;

    @BeforeAll
    static void requirePython() {
        Assumptions.assumeTrue(python("-c", "import sys; assert sys.version_info >= (3, 8)").code == 0,
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
            assertTrue(String.join(" ", command).contains(RUN_DATE), "run dir must carry the run date: " + command);
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
        Path stubs = tmp.resolve("stubs");
        write(stubs.resolve("airflow/__init__.py"), """
                class DAG:
                    current = None
                    def __init__(self, dag_id, **kwargs):
                        self.dag_id, self.kwargs, self.tasks = dag_id, kwargs, []
                    def __enter__(self):
                        DAG.current = self
                        return self
                    def __exit__(self, *exc):
                        DAG.current = None
                """);
        write(stubs.resolve("airflow/providers/__init__.py"), "");
        write(stubs.resolve("airflow/providers/apache/__init__.py"), "");
        write(stubs.resolve("airflow/providers/apache/spark/__init__.py"), "");
        write(stubs.resolve("airflow/providers/apache/spark/operators/__init__.py"), "");
        write(stubs.resolve("airflow/providers/apache/spark/operators/spark_submit.py"), """
                from airflow import DAG
                class SparkSubmitOperator:
                    def __init__(self, task_id, **kwargs):
                        self.task_id, self.kwargs, self.downstream = task_id, kwargs, []
                        DAG.current.tasks.append(self)
                    def __rshift__(self, other):
                        self.downstream.append(other.task_id)
                        return other
                """);
        Result r = python(Map.of("PYTHONPATH", stubs + ":" + repoRoot().resolve("deploy/airflow")), "-c", """
                import json, sparkcae_dag as m
                d = m.dag
                print(json.dumps({"dag": d.dag_id, "retries": d.kwargs["default_args"]["retries"],
                    "tasks": [{"id": t.task_id, "args": t.kwargs["application_args"],
                               "class": t.kwargs["java_class"], "conf": t.kwargs["conf"],
                               "downstream": t.downstream} for t in d.tasks],
                    "expected": m.stage_commands("{{ ds }}")}))
                """);
        assertEquals(0, r.code, r.output);
        Map<String, Object> dag = new ObjectMapper().readValue(r.output, new TypeReference<>() {
        });
        assertEquals("sparkcae", dag.get("dag"));
        assertTrue((Integer) dag.get("retries") > 0);
        @SuppressWarnings("unchecked")
        List<Map<String, Object>> tasks = (List<Map<String, Object>>) dag.get("tasks");
        assertEquals(List.of("prep", "train", "encode", "score"), tasks.stream().map(t -> t.get("id")).toList());
        assertEquals(dag.get("expected"), tasks.stream().map(t -> t.get("args")).toList());
        assertEquals(List.of("train"), tasks.get(0).get("downstream"));
        assertEquals(List.of("encode"), tasks.get(1).get("downstream"));
        assertEquals(List.of("score"), tasks.get(2).get("downstream"));
        for (Map<String, Object> t : tasks) {
            assertEquals(SparkCaeCli.class.getName(), t.get("class"));
            @SuppressWarnings("unchecked")
            Map<String, String> conf = (Map<String, String>) t.get("conf");
            // the JVM flags come from conf/jvm.properties
            assertTrue(conf.get("spark.executor.defaultJavaOptions").contains("-Dorg.eclipse.deeplearning4j.helpers.disable=false"), conf.toString());
            assertTrue(conf.get("spark.driver.defaultJavaOptions").contains("--add-opens=java.base/sun.nio.ch=ALL-UNNAMED"), conf.toString());
            // Spark security is on by default
            assertEquals("true", conf.get("spark.authenticate"), conf.toString());
            assertEquals("true", conf.get("spark.network.crypto.enabled"), conf.toString());
            assertEquals("true", conf.get("spark.io.encryption.enabled"), conf.toString());
        }
    }

    private static List<List<String>> stageCommands(String runDate) throws IOException {
        Path config = tmp.resolve("sparkcae.conf");
        write(config, "sparkcae { train { epochs = 1 } }\n");
        Result r = python(Map.of("PYTHONPATH", repoRoot().resolve("deploy/airflow").toString(),
                        "SPARKCAE_RUN_ROOT", tmp.resolve("runs").toString(),
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
        cmd.add("python3");
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
