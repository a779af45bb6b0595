package io.sparkcae.jobs.deploy;

import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.sparkcae.jobs.cli.SparkCaeCli;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Assertions;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * deploy/k8s/render-sparkapplication.sh renders a SparkApplication for every stage the CLI has, with and without
 * {@code --resume}, {@code --model}, {@code --data} and extra arguments: the manifest is YAML (read back with
 * PyYAML), its arguments are the expected list, and the CLI's own parser accepts them. An option given to a
 * stage that does not take it stops the renderer with exit 2 and one error line.
 */
class SparkApplicationRenderTest {
    private static final String SCRIPT = "deploy/k8s/render-sparkapplication.sh";
    private static final String DATE = "2026-11-23";
    private static final List<String> COMMON = List.of("--config", "/etc/sparkcae/sparkcae.conf",
            "--run-dir", "s3a://sparkcae/runs/" + DATE, "--if-exists", "skip", "--log-format", "json");

    @BeforeAll
    static void requireBashAndPyYaml() {
        Assertions.assertEquals(0, run(List.of(AirflowDagTest.PYTHON, "-c", "import yaml"), Map.of()).code,
                AirflowDagTest.PYTHON + " with PyYAML not found: apt-get install -y python3-yaml (.ci/run does)");
    }

    /** Every stage of the CLI (simulate makes data, it is no stage) and pipeline. */
    private static Set<String> cliStages() {
        Set<String> names = new TreeSet<>(new CommandLine(new SparkCaeCli()).getSubcommands().keySet());
        names.remove("simulate");
        return names;
    }

    @Test
    void everyStageRenders() throws IOException {
        Set<String> stages = cliStages();
        assertEquals(Set.of("prep", "train", "encode", "score", "rom", "reassemble", "report", "pipeline"), stages);
        for (String stage : stages) {
            Map<String, Object> app = render(Map.of("SPARKCAE_COMMAND", stage));
            @SuppressWarnings("unchecked")
            Map<String, Object> metadata = (Map<String, Object>) app.get("metadata");
            assertEquals("sparkcae-" + stage + "-" + DATE, metadata.get("name"));
            List<String> expected = new ArrayList<>(List.of(stage));
            expected.addAll(COMMON);
            assertEquals(expected, arguments(app), stage);
            assertCliParses(arguments(app));
        }
    }

    @Test
    void trainResumesOnlyWhenAsked() throws IOException {
        List<String> plain = arguments(render(Map.of("SPARKCAE_COMMAND", "train")));
        assertFalse(plain.contains("--resume"), plain.toString());
        List<String> resumed = arguments(render(Map.of("SPARKCAE_COMMAND", "train", "SPARKCAE_RESUME", "on")));
        assertEquals("--resume", resumed.get(resumed.size() - 1), resumed.toString());
        assertEquals(plain.size() + 1, resumed.size(), resumed.toString());
        assertCliParses(resumed);
        for (String stage : cliStages()) {
            if (!stage.equals("train")) {
                Rendered r = renderRaw(Map.of("SPARKCAE_COMMAND", stage, "SPARKCAE_RESUME", "on"));
                assertEquals(2, r.code, stage + ": " + r.stderr);
                assertEquals("sparkcae: error: SPARKCAE_RESUME=on: only train takes --resume, not " + stage, r.stderr.strip());
            }
        }
    }

    @Test
    void stagesThatApplyAModelTakeOne() throws IOException {
        String model = "s3a://bucket/sparkcae/runs/2026-11-20/train";
        for (String stage : List.of("encode", "score", "rom")) {
            List<String> args = arguments(render(Map.of("SPARKCAE_COMMAND", stage, "SPARKCAE_MODEL", model)));
            assertEquals(List.of("--model", model), args.subList(args.size() - 2, args.size()), args.toString());
            assertCliParses(args);
        }
        Rendered r = renderRaw(Map.of("SPARKCAE_COMMAND", "train", "SPARKCAE_MODEL", model));
        assertEquals(2, r.code, r.stderr);
        assertTrue(r.stderr.contains("only encode, score and rom take --model"), r.stderr);
    }

    @Test
    void inputAndExtraArgumentsAreAppended() throws IOException {
        List<String> prep = arguments(render(Map.of("SPARKCAE_COMMAND", "prep", "SPARKCAE_DATA", "s3a://landing/" + DATE)));
        assertEquals(List.of("--data", "s3a://landing/" + DATE), prep.subList(prep.size() - 2, prep.size()));
        assertCliParses(prep);
        List<String> reassemble = arguments(render(Map.of("SPARKCAE_COMMAND", "reassemble",
                "SPARKCAE_EXTRA_ARGS", "--what residuals --format png")));
        assertEquals(List.of("--what", "residuals", "--format", "png"), reassemble.subList(reassemble.size() - 4, reassemble.size()));
        assertCliParses(reassemble);
        // a value that could break out of the YAML scalar is refused
        Rendered quote = renderRaw(Map.of("SPARKCAE_COMMAND", "score", "SPARKCAE_EXTRA_ARGS", "--set a=\"b"));
        assertEquals(2, quote.code, quote.stderr);
        assertTrue(quote.stderr.startsWith("sparkcae: error: SPARKCAE_EXTRA_ARGS="), quote.stderr);
    }

    /** picocli parses the arguments as the CLI would (options known to that subcommand), without running it. */
    private static void assertCliParses(List<String> args) {
        CommandLine cli = new CommandLine(new SparkCaeCli());
        cli.setCaseInsensitiveEnumValuesAllowed(true);
        try {
            cli.parseArgs(args.toArray(String[]::new));
        } catch (CommandLine.ParameterException e) {
            throw new AssertionError("the CLI refuses " + args + ": " + e.getMessage(), e);
        }
    }

    @SuppressWarnings("unchecked")
    private static List<String> arguments(Map<String, Object> app) {
        return (List<String>) ((Map<String, Object>) app.get("spec")).get("arguments");
    }

    private record Rendered(int code, String stdout, String stderr) {
    }

    private static Map<String, Object> render(Map<String, String> env) throws IOException {
        Rendered r = renderRaw(env);
        assertEquals(0, r.code, env + ": " + r.stderr);
        Path yaml = Files.createTempFile("sparkapplication", ".yaml");
        try {
            Files.writeString(yaml, r.stdout);
            Rendered json = run(List.of(AirflowDagTest.PYTHON, "-c",
                    "import json, sys, yaml; print(json.dumps(yaml.safe_load(open(sys.argv[1]))))", yaml.toString()), Map.of());
            assertEquals(0, json.code, "not YAML: " + json.stderr + "\n" + r.stdout);
            return new ObjectMapper().readValue(json.stdout, new TypeReference<>() {
            });
        } finally {
            Files.deleteIfExists(yaml);
        }
    }

    private static Rendered renderRaw(Map<String, String> env) {
        Map<String, String> all = new java.util.HashMap<>(env);
        all.putIfAbsent("SPARKCAE_RUN_DATE", DATE);
        return run(List.of("bash", AirflowDagTest.repoRoot().resolve(SCRIPT).toString()), all);
    }

    private static Rendered run(List<String> command, Map<String, String> env) {
        ProcessBuilder pb = new ProcessBuilder(command);
        // only what the test sets: a SPARKCAE_ variable of the surrounding shell must not change the manifest
        pb.environment().keySet().removeIf(k -> k.startsWith("SPARKCAE_"));
        pb.environment().putAll(env);
        try {
            Path err = Files.createTempFile("render", ".err");
            pb.redirectError(err.toFile());
            Process p = pb.start();
            String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            if (!p.waitFor(60, TimeUnit.SECONDS)) {
                p.destroyForcibly();
                return new Rendered(-1, out, "timed out");
            }
            String stderr = Files.readString(err);
            Files.delete(err);
            return new Rendered(p.exitValue(), out, stderr);
        } catch (IOException e) {
            return new Rendered(-1, "", command.get(0) + " not runnable: " + e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return new Rendered(-1, "", "interrupted");
        }
    }
}
