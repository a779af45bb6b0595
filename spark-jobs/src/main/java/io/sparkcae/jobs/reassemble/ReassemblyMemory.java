package io.sparkcae.jobs.reassemble;

import io.sparkcae.core.error.ExitCode;
import io.sparkcae.core.error.SparkCaeException;
import io.sparkcae.core.tensor.PatchShape;
import io.sparkcae.prep.reassembly.BandBlender;

import java.util.Collection;
import java.util.Locale;

/**
 * How many samples an executor can stitch at once. A task stitching a sample holds that sample's band
 * ({@link BandBlender#bandBytes}) and one patch twice (its bytes and its floats); that lives in the heap
 * Spark leaves to user code, (heap − 300 MB reserved) × (1 − {@code spark.memory.fraction}), while the shuffle's
 * sorting stays inside Spark's own share and spills to disk. When one sample does not fit that share the
 * stage stops before reading anything, naming the heap it needs; when only some do, fewer run at once.
 *
 * @param perSampleBytes heap one sample being stitched needs (the largest sample of the manifest)
 * @param budgetBytes    heap left to user code in one executor
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
        for (int[] dims : samples) {
            band = Math.max(band, BandBlender.bandBytes(PatchShape.of(dims), window));
        }
        long perSample = band + 2 * patchBytes;
        long budget = (long) (Math.max(0, executorHeap - RESERVED) * (1 - memoryFraction));
        if (perSample > budget) {
            long heapNeeded = RESERVED + (long) Math.ceil(perSample / (1 - memoryFraction));
            throw new SparkCaeException(ExitCode.INFRASTRUCTURE, String.format(Locale.ROOT,
                    "reassemble needs about %d MB of heap per sample it stitches (a band of %d slices of the largest "
                            + "sample, in double precision), but an executor heap of %d MB leaves %d MB to it: give "
                            + "executors a heap of at least %d MB (SPARKCAE_MEMORY=%dm for deploy/sparkcae, which gives "
                            + "the heap 40%%; spark.executor.memory on a cluster)",
                    mb(perSample), window[0], mb(executorHeap), mb(budget), mb(heapNeeded),
                    (mb(heapNeeded) * 10 + 3) / 4));
        }
        int fit = (int) Math.min(Integer.MAX_VALUE, budget / Math.max(1, perSample));
        return new ReassemblyMemory(perSample, budget, Math.max(1, Math.min(taskSlots, fit)));
    }

    private static long mb(long bytes) {
        return (bytes + (1 << 20) - 1) >> 20;
    }
}
