package io.sparkcae.jobs.reassemble;

import io.sparkcae.core.error.ExitCode;
import io.sparkcae.core.error.SparkCaeException;
import io.sparkcae.core.tensor.PatchShape;
import io.sparkcae.prep.reassembly.BandBlender;

import java.util.Collection;
import java.util.Locale;

/**
 * How many samples an executor can stitch at once. A task stitching a sample holds that sample's band
 * ({@link BandBlender#bandBytes}) and one patch twice (its bytes and its floats). Spark leaves that kind of
 * memory (heap − 300 MB reserved) × (1 − {@code spark.memory.fraction}), the rest being its own region for the
 * shuffle's sorting (which spills to disk when short). As many samples run at once as fit the first share, and
 * at least one; a sample that would not fit even the whole heap beside the reserve stops the stage before
 * anything is read, naming the heap it needs.
 *
 * @param perSampleBytes heap one sample being stitched needs (the largest sample of the manifest)
 * @param budgetBytes    heap Spark leaves to user code in one executor
 * @param concurrent     samples one executor may stitch at once, at least 1
 */
record ReassemblyMemory(long perSampleBytes, long budgetBytes, int concurrent) {
    static final long RESERVED = 300L << 20;

    /**
     * @param samples       shapes (C, [D,] H, W) of the manifest's samples
     * @param window        the patches' spatial size
     * @param patchBytes    one patch as float32
     * @param executorHeap  max heap of an executor (this JVM in local mode)
     * @param memoryFraction {@code spark.memory.fraction}
     * @param taskSlots     tasks an executor runs at once
     */
    static ReassemblyMemory plan(Collection<int[]> samples, int[] window, long patchBytes, long executorHeap,
                                 double memoryFraction, int taskSlots) {
        long band = 0;
        int deepest = 0;
        for (int[] dims : samples) {
            long b = BandBlender.bandBytes(PatchShape.of(dims), window);
            if (b > band) {
                band = b;
                deepest = dims[1];
            }
        }
        long perSample = band + 2 * patchBytes;
        long budget = (long) (Math.max(0, executorHeap - RESERVED) * (1 - memoryFraction));
        if (perSample > executorHeap - RESERVED) {
            long heapNeeded = RESERVED + (long) Math.ceil(perSample / (1 - memoryFraction));
            throw new SparkCaeException(ExitCode.INFRASTRUCTURE, String.format(Locale.ROOT,
                    "reassemble needs about %d MB of heap per sample it stitches (sums in double precision over a "
                            + "band %d rows deep of the largest sample), more than an executor heap of %d MB holds "
                            + "beside Spark's reserve (%d MB): give "
                            + "executors a heap of at least %d MB (SPARKCAE_MEMORY=%dm for deploy/sparkcae, which gives "
                            + "the heap 40%%; spark.executor.memory on a cluster)",
                    mb(perSample), Math.min(window[0], deepest), mb(executorHeap), mb(RESERVED), mb(heapNeeded),
                    (mb(heapNeeded) * 10 + 3) / 4));
        }
        int fit = (int) Math.min(Integer.MAX_VALUE, budget / Math.max(1, perSample));
        return new ReassemblyMemory(perSample, budget, Math.max(1, Math.min(taskSlots, fit)));
    }

    private static long mb(long bytes) {
        return (bytes + (1 << 20) - 1) >> 20;
    }
}
