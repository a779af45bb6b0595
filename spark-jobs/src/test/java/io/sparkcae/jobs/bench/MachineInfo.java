package io.sparkcae.jobs.bench;

import com.sun.management.HotSpotDiagnosticMXBean;
import org.nd4j.linalg.factory.Nd4j;

import java.io.IOException;
import java.lang.management.ManagementFactory;
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
        m.put("cpu_isa_cap", isaCap());
        m.put("cores", Runtime.getRuntime().availableProcessors());
        m.put("java", System.getProperty("java.vm.name") + " " + System.getProperty("java.version"));
        m.put("max_heap_mb", Runtime.getRuntime().maxMemory() >> 20);
        Properties env = Nd4j.getExecutioner().getEnvironmentInformation();
        m.put("nd4j_backend", String.valueOf(env.getOrDefault("backend", Nd4j.getBackend().getClass().getSimpleName())));
        m.put("nd4j_threads", String.valueOf(env.getOrDefault("omp.threads", "?")));
        m.put("nd4j_blas", String.valueOf(env.getOrDefault("blas.vendor", "?")));
        return m;
    }

    /**
     * What this process's native kernels are held to ({@code SPARKCAE_CPU_ISA}, deploy/sparkcae): oneDNN's
     * dispatch cap, OpenBLAS's kernel family and the JIT's AVX level, or "none" when nothing caps them.
     */
    static String isaCap() {
        String onednn = System.getenv().getOrDefault("ONEDNN_MAX_CPU_ISA", System.getenv("DNNL_MAX_CPU_ISA"));
        String openblas = System.getenv("OPENBLAS_CORETYPE");
        String jit;
        try {
            jit = ManagementFactory.getPlatformMXBean(HotSpotDiagnosticMXBean.class).getVMOption("UseAVX").getValue();
        } catch (IllegalArgumentException e) {
            jit = "n/a"; // not an x86 JVM
        }
        if (onednn == null && openblas == null) {
            return "none (JIT UseAVX=" + jit + ")";
        }
        return "oneDNN " + (onednn == null ? "all" : onednn) + ", OpenBLAS " + (openblas == null ? "auto" : openblas)
                + ", JIT UseAVX=" + jit;
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
