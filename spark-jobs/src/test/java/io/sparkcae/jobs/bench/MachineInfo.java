package io.sparkcae.jobs.bench;

import org.nd4j.linalg.factory.Nd4j;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.TreeSet;

/**
 * The machine a figure was measured on: CPU model, the vector-instruction flags that decide which native
 * kernels run, cores, Java and the ND4J backend. Every bench prints it first, because a ratio measured on one
 * CPU has not held on another.
 */
public final class MachineInfo {
    private static final Set<String> FLAGS_OF_INTEREST = Set.of("sse4_2", "avx", "avx2", "fma", "f16c",
            "avx512f", "avx512bw", "avx512vl", "avx512_vnni", "avx512_bf16", "amx_tile", "asimd", "sve");

    private MachineInfo() {
    }

    public static Map<String, Object> describe() {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("case", "machine");
        m.put("cpu_model", cpuField("model name", System.getProperty("os.arch")));
        m.put("cpu_flags", String.join(" ", cpuFlags()));
        m.put("cores", Runtime.getRuntime().availableProcessors());
        m.put("java", System.getProperty("java.vm.name") + " " + System.getProperty("java.version"));
        m.put("max_heap_mb", Runtime.getRuntime().maxMemory() >> 20);
        Properties env = Nd4j.getExecutioner().getEnvironmentInformation();
        m.put("nd4j_backend", String.valueOf(env.getOrDefault("backend", Nd4j.getBackend().getClass().getSimpleName())));
        m.put("nd4j_threads", String.valueOf(env.getOrDefault("omp.threads", "?")));
        m.put("nd4j_blas", String.valueOf(env.getOrDefault("blas.vendor", "?")));
        return m;
    }

    private static String cpuField(String field, String fallback) {
        for (String line : cpuinfo()) {
            if (line.startsWith(field)) {
                return line.substring(line.indexOf(':') + 1).trim();
            }
        }
        return fallback;
    }

    private static Set<String> cpuFlags() {
        Set<String> flags = new TreeSet<>();
        for (String f : cpuField("flags", cpuField("Features", "")).split("\\s+")) {
            if (FLAGS_OF_INTEREST.contains(f)) {
                flags.add(f);
            }
        }
        return flags;
    }

    private static List<String> cpuinfo() {
        try {
            return Files.readAllLines(Path.of("/proc/cpuinfo"));
        } catch (IOException | RuntimeException e) {
            return List.of();
        }
    }
}
