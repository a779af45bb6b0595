package io.sparkcae.prep.patching;

import io.sparkcae.core.config.PatchConf.EdgePolicy;
import io.sparkcae.core.tensor.PatchShape;

/**
 * Copies one window out of a C-order sample. Rows that lie fully inside are bulk-copied; rows crossing the
 * far edge are filled element by element with zeros or reflected values (numpy's "reflect" mode).
 */
final class WindowCopier {
    private WindowCopier() {
    }

    static float[] copy(PatchShape shape, float[] data, int[] origin, PatchShape ps, EdgePolicy edge) {
        float[] out = new float[ps.elementCount()];
        int rank = shape.spatialRank();
        int rowLen = ps.spatial(rank - 1);
        int[] full = shape.dims();
        int rows = ps.elementCount() / rowLen;
        int[] rowIdx = new int[rank]; // [c, (d,) h]: every axis but the last, which is copied as a row
        int pos = 0;
        for (int r = 0; r < rows; r++) {
            long base = rowIdx[0];
            boolean outside = false;
            for (int a = 0; a < rank - 1; a++) {
                int i = map(origin[a] + rowIdx[a + 1], full[a + 1], edge);
                if (i < 0) {
                    outside = true;
                    break;
                }
                base = base * full[a + 1] + i;
            }
            int last = full[rank];
            if (!outside) {
                int start = origin[rank - 1];
                if (start + rowLen <= last) {
                    System.arraycopy(data, (int) (base * last + start), out, pos, rowLen);
                } else {
                    for (int k = 0; k < rowLen; k++) {
                        int i = map(start + k, last, edge);
                        out[pos + k] = i < 0 ? 0f : data[(int) (base * last + i)];
                    }
                }
            }
            pos += rowLen;
            for (int a = rank - 1; a >= 0; a--) {
                int limit = a == 0 ? ps.channels() : ps.spatial(a - 1);
                if (++rowIdx[a] < limit) {
                    break;
                }
                rowIdx[a] = 0;
            }
        }
        return out;
    }

    /** Index into an axis of size n, or -1 for a zero-padded position. */
    private static int map(int i, int n, EdgePolicy edge) {
        if (i < n) {
            return i;
        }
        if (edge != EdgePolicy.REFLECT_PAD) {
            return -1;
        }
        if (n == 1) {
            return 0;
        }
        int period = 2 * (n - 1);
        int m = i % period;
        return m < n ? m : period - m;
    }
}
