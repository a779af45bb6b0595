package io.sparkcae.prep.reassembly;

import io.sparkcae.core.tensor.PatchShape;

/**
 * A sample put back together from patches.
 *
 * @param shape   C, [D,] H, W of the sample
 * @param values  C-order values; NaN where no patch reached
 * @param covered one flag per spatial position ([D,] H, W, C-order, shared by all channels): whether any
 *                patch reached it. Windows that would cross the far edge are never cut, so with a stride
 *                that does not divide (size − window) the last rows/columns stay uncovered.
 */
public record BlendedSample(PatchShape shape, float[] values, boolean[] covered) {

    public int coveredCount() {
        int n = 0;
        for (boolean c : covered) {
            if (c) {
                n++;
            }
        }
        return n;
    }
}
