package io.sparkcae.jobs.deploy;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The launchers check every environment value against a pattern and never evaluate it: a bad value stops them
 * with exit 2 and one line naming the variable, and a command hidden in a value does not run. Also: the
 * cluster recipes turn Spark's security on by default, and SPARKCAE_SPARK_SECURITY=off turns it off.
 */
@Timeout(value = 2, unit = TimeUnit.MINUTES)
class LauncherEnvTest {
    @TempDir
    Path tmp;

    private record Result(int code, String out, String err) {
    }

    private Result run(String script, Map<String, String> env, String... args) throws IOException,
            InterruptedException {
        List<String> cmd = new ArrayList<>(List.of("bash", AirflowDagTest.repoRoot().resolve(script).toString()));
        cmd.addAll(List.of(args));
        ProcessBuilder pb = new ProcessBuilder(cmd).directory(tmp.toFile());
        Path out = tmp.resolve("out.txt");
        Path err = tmp.resolve("err.txt");
        pb.redirectOutput(out.toFile()).redirectError(err.toFile());
        pb.environment().keySet().removeIf(k -> k.startsWith("SPARKCAE_") || k.startsWith("SPARK_"));
        pb.environment().putAll(env);
        Process p = pb.start();
        assertTrue(p.waitFor(60, TimeUnit.SECONDS), script + " did not finish");
        return new Result(p.exitValue(), Files.readString(out, StandardCharsets.UTF_8),
                Files.readString(err, StandardCharsets.UTF_8));
    }

    private void assertRefused(Result r, String variable, String value) {
        assertEquals(2, r.code(), r.toString());
        List<String> lines = r.err().lines().toList();
        assertEquals(1, lines.size(), r.err());
        assertTrue(lines.get(0).startsWith("sparkcae: error: " + variable + "=" + value + ": expected "), r.err());
    }

    @Test
    void aCommandInSparkcaeMemoryIsNeverRun() throws Exception {
        Path marker = tmp.resolve("ran");
        // HOME[...]: an array subscript bash evaluates inside $(( )) (an unset name would stop under set -u first)
        for (String value : List.of("HOME[$(touch " + marker + ")]g", "a[$(touch " + marker + ")]g",
                "$(touch " + marker + ")g", "`touch " + marker + "`")) {
            Result r = run("deploy/sparkcae", Map.of("SPARKCAE_MEMORY", value), "--version");
            assertRefused(r, "SPARKCAE_MEMORY", value);
            assertFalse(Files.exists(marker), "the command in SPARKCAE_MEMORY ran: " + value);
        }
    }

    @Test
    void malformedSizesAndOtherValuesAreRefusedNamingTheVariable() throws Exception {
        for (String value : List.of("1.5g", "0g", "12", "g", "-4g", "12gb", "12 g")) {
            assertRefused(run("deploy/sparkcae", Map.of("SPARKCAE_MEMORY", value), "--version"), "SPARKCAE_MEMORY",
                    value);
        }
        Result small = run("deploy/sparkcae", Map.of("SPARKCAE_MEMORY", "512m"), "--version");
        assertEquals(2, small.code(), small.toString());
        assertTrue(small.err().startsWith("sparkcae: error: SPARKCAE_MEMORY=512m: expected at least 1g"), small.err());
        assertRefused(run("deploy/sparkcae", Map.of("SPARKCAE_MASTER", "local[$(id)]"), "--version"),
                "SPARKCAE_MASTER", "local[$(id)]");
        assertRefused(run("deploy/sparkcae", Map.of("OMP_NUM_THREADS", "0"), "--version"), "OMP_NUM_THREADS", "0");
        assertRefused(run("deploy/sparkcae", Map.of("OPENBLAS_NUM_THREADS", "1;id"), "--version"),
                "OPENBLAS_NUM_THREADS", "1;id");
        assertRefused(run("deploy/sparkcae", Map.of("SPARKCAE_CPU_ISA", "avx512"), "--version"), "SPARKCAE_CPU_ISA",
                "avx512");
        // accepted (the launcher goes on: to --version once built, to "not built yet" in a fresh clone's unit tests)
        Result capped = run("deploy/sparkcae", Map.of("SPARKCAE_CPU_ISA", "avx2"), "--version");
        assertFalse(capped.err().contains("SPARKCAE_CPU_ISA"), capped.toString());
    }

    @Test
    void submitScriptsCheckTheirVariablesToo() throws Exception {
        Path jar = Files.createFile(tmp.resolve("app.jar"));
        Map<String, String> base = Map.of("SPARKCAE_DRY_RUN", "1", "SPARKCAE_APP_JAR", jar.toString());
        Map<String, String> bad = new java.util.HashMap<>(base);
        bad.put("SPARKCAE_EXECUTOR_THREADS", "1;id");
        assertRefused(run("deploy/submit-yarn.sh", bad, "--", "prep"), "SPARKCAE_EXECUTOR_THREADS", "1;id");
        Map<String, String> k8s = new java.util.HashMap<>(base);
        k8s.put("SPARKCAE_IMAGE", "img\"; rm -rf /");
        assertRefused(run("deploy/submit-k8s.sh", k8s, "--master", "k8s://https://127.0.0.1:6443", "--", "prep"),
                "SPARKCAE_IMAGE", "img\"; rm -rf /");
    }

    @Test
    void clusterRecipesTurnSparkSecurityOnAndOneSettingTurnsItOff() throws Exception {
        Path jar = Files.createFile(tmp.resolve("app.jar"));
        Map<String, String> env = new java.util.HashMap<>(Map.of("SPARKCAE_DRY_RUN", "1",
                "SPARKCAE_APP_JAR", jar.toString()));
        Result yarn = run("deploy/submit-yarn.sh", env, "--", "prep");
        assertEquals(0, yarn.code(), yarn.toString());
        for (String on : List.of("spark.authenticate=true", "spark.network.crypto.enabled=true",
                "spark.io.encryption.enabled=true", "spark.acls.enable=true")) {
            assertTrue(yarn.out().contains(on), on + " in " + yarn.out());
        }
        Result k8s = run("deploy/submit-k8s.sh", env, "--master", "k8s://https://127.0.0.1:6443", "--", "prep");
        assertEquals(0, k8s.code(), k8s.toString());
        assertTrue(k8s.out().contains("spark.authenticate.secret.file=/etc/sparkcae-auth/secret"), k8s.out());
        assertTrue(k8s.out().contains("spark.kubernetes.executor.secrets.sparkcae-spark-auth=/etc/sparkcae-auth"),
                k8s.out());

        // standalone: the cluster's shared secret must be given
        Result noSecret = run("deploy/submit-standalone.sh", env, "--master", "spark://127.0.0.1:7077", "--", "prep");
        assertEquals(2, noSecret.code(), noSecret.toString());
        assertTrue(noSecret.err().startsWith("sparkcae: error: SPARKCAE_SPARK_SECRET_FILE is not set"),
                noSecret.err());
        Path secret = Files.writeString(tmp.resolve("secret"), "0123456789abcdef0123456789abcdef\n");
        env.put("SPARKCAE_SPARK_SECRET_FILE", secret.toString());
        Result standalone = run("deploy/submit-standalone.sh", env, "--master", "spark://127.0.0.1:7077", "--", "prep");
        assertEquals(0, standalone.code(), standalone.toString());
        assertTrue(standalone.out().contains("spark.authenticate=true"), standalone.out());
        assertFalse(standalone.out().contains("0123456789abcdef"), "the secret stays off the command line");

        env.remove("SPARKCAE_SPARK_SECRET_FILE");
        env.put("SPARKCAE_SPARK_SECURITY", "off");
        Result off = run("deploy/submit-standalone.sh", env, "--master", "spark://127.0.0.1:7077", "--", "prep");
        assertEquals(0, off.code(), off.toString());
        assertTrue(off.out().contains("spark.authenticate=false"), off.out());
        env.put("SPARKCAE_SPARK_SECURITY", "no");
        assertRefused(run("deploy/submit-yarn.sh", env, "--", "prep"), "SPARKCAE_SPARK_SECURITY", "no");
    }
}
