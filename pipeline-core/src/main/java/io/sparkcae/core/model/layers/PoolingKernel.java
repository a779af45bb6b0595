package io.sparkcae.core.model.layers;

import org.deeplearning4j.nn.workspace.ArrayType;
import org.deeplearning4j.nn.workspace.LayerWorkspaceMgr;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.api.ops.DynamicCustomOp;
import org.nd4j.linalg.api.ops.OpContext;
import org.nd4j.linalg.factory.Nd4j;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Locale;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * Runs max pooling on the faster of the two CPU kernels ND4J has. By default ND4J hands pooling to oneDNN,
 * whose 2.x release (in ND4J 1.0.0-M2.1) has a JIT kernel for the plain NCHW/NCDHW layout only with AVX-512
 * (avx512_core); on a CPU without it, or with oneDNN capped below it ({@code ONEDNN_MAX_CPU_ISA}), oneDNN runs
 * its reference "simple_nchw" loop. Measured on one CPU with oneDNN capped at AVX2, that loop was 2-7x slower
 * than libnd4j's own kernel (maxpool2d on 512x32x28x28: 55 against 7.5 ms), while with AVX-512 oneDNN was
 * 2-3x faster than libnd4j's. So the libnd4j kernel runs where oneDNN would fall back to its loop.
 *
 * <p>System property {@value #PROPERTY} = {@code auto} (the default) | {@code onednn} | {@code libnd4j} forces
 * a choice (for comparing them). Other backends (CUDA) are left alone.
 */
public final class PoolingKernel {
    public static final String PROPERTY = "sparkcae.pooling-kernel";
    private static final Set<String> AVX512_CORE = Set.of("avx512f", "avx512bw", "avx512vl", "avx512dq");
    private static volatile Boolean autoChoice;

    private PoolingKernel() {
    }

    /** True where pooling should run libnd4j's own kernel rather than the one ND4J picks. */
    public static boolean libNd4j() {
        String forced = System.getProperty(PROPERTY, "auto").trim().toLowerCase(Locale.ROOT);
        switch (forced) {
            case "libnd4j":
                return cpuBackend();
            case "onednn":
                return false;
            case "auto":
                break;
            default:
                throw new IllegalArgumentException("-D" + PROPERTY + "=" + forced + ": expected auto, onednn or libnd4j");
        }
        return cpuBackend() && oneDnnBelowAvx512();
    }

    /**
     * True where oneDNN dispatches below AVX-512 (avx512_core): a CPU without it, or oneDNN capped below it
     * ({@code ONEDNN_MAX_CPU_ISA}, {@code DNNL_MAX_CPU_ISA}). Worked out once per JVM.
     */
    static boolean oneDnnBelowAvx512() {
        Boolean choice = autoChoice;
        if (choice == null) {
            String cap = System.getenv("ONEDNN_MAX_CPU_ISA");
            choice = oneDnnFallsBack(cpuFlags(), cap != null ? cap : System.getenv("DNNL_MAX_CPU_ISA"));
            autoChoice = choice;
        }
        return choice;
    }

    /**
     * @param flags the CPU's flags (/proc/cpuinfo); empty when unknown, which leaves ND4J's choice
     * @param cap   oneDNN's dispatch cap (ONEDNN_MAX_CPU_ISA), null when unset
     */
    static boolean oneDnnFallsBack(Set<String> flags, String cap) {
        if (flags.isEmpty()) {
            return false;
        }
        if (!flags.containsAll(AVX512_CORE)) {
            return true;
        }
        String c = cap == null ? "" : cap.trim().toUpperCase(Locale.ROOT);
        return !(c.isEmpty() || c.equals("ALL") || c.startsWith("AVX512_CORE"));
    }

    /** {@code op} (maxpool2d, maxpool3dnew) of {@code input} on libnd4j's kernel, into an activations array. */
    static INDArray forward(String op, INDArray input, int[] iArgs, LayerWorkspaceMgr workspaceMgr) {
        long[] shape = DynamicCustomOp.builder(op).addInputs(input).addIntegerArguments(iArgs).build()
                .calculateOutputShape().get(0).getShape();
        INDArray output = workspaceMgr.createUninitialized(ArrayType.ACTIVATIONS, input.dataType(), shape, 'c');
        exec(op, iArgs, output, input);
        return output;
    }

    /** The gradient at the input of {@code op} on libnd4j's kernel (op {@code op + "_bp"}). */
    static INDArray backward(String op, INDArray input, INDArray epsilon, int[] iArgs, LayerWorkspaceMgr workspaceMgr) {
        INDArray grad = workspaceMgr.createUninitialized(ArrayType.ACTIVATION_GRAD, input.dataType(), input.shape(), 'c');
        exec(op + "_bp", iArgs, grad, input, epsilon);
        return grad;
    }

    private static void exec(String op, int[] iArgs, INDArray output, INDArray... inputs) {
        try (OpContext ctx = Nd4j.getExecutioner().buildContext()) {
            // per op, unlike the process-wide Environment switch, which would take oneDNN from the convolutions too
            ctx.allowHelpers(false);
            ctx.setIArguments(Arrays.stream(iArgs).asLongStream().toArray());
            for (int i = 0; i < inputs.length; i++) {
                ctx.setInputArray(i, inputs[i]);
            }
            ctx.setOutputArray(0, output);
            Nd4j.exec(DynamicCustomOp.builder(op).build(), ctx);
        } catch (RuntimeException e) {
            throw e;
        } catch (Exception e) {
            throw new IllegalStateException(op + ": " + e.getMessage(), e);
        }
    }

    static boolean cpuBackend() {
        return "CPU".equalsIgnoreCase(String.valueOf(Nd4j.getExecutioner().getEnvironmentInformation().get("backend")));
    }

    private static Set<String> cpuFlags() {
        try {
            return Files.readAllLines(Path.of("/proc/cpuinfo")).stream()
                    .filter(l -> l.startsWith("flags"))
                    .findFirst()
                    .map(l -> Arrays.stream(l.substring(l.indexOf(':') + 1).trim().split("\\s+")).collect(Collectors.toSet()))
                    .orElse(Set.of());
        } catch (IOException | RuntimeException e) {
            return Set.of();
        }
    }
}
