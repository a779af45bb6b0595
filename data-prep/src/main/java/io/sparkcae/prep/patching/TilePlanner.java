package io.sparkcae.prep.patching;

import io.sparkcae.core.tensor.PatchShape;

import java.util.ArrayList;
import java.util.List;

/**
 * Splits a sample's window grid into tiles whose regions stay within a byte budget, so a Spark task reading
 * one tile of a huge image or volume holds at most that much input. Tiles are aligned to the window grid,
 * so every window lies entirely inside the tile that owns it and tiled and untiled prep give the same
 * patches.
 */
public final class TilePlanner {
    private TilePlanner() {
    }

    /** Bytes of a whole sample as float32. */
    public static long sampleBytes(PatchShape shape) {
        return (long) shape.elementCount() * Float.BYTES;
    }

    public static List<Tile> plan(PatchExtractor extractor, PatchShape sample, long budgetBytes) {
        int[] counts = extractor.windowCounts(sample);
        int rank = counts.length;
        int[] per = counts.clone();
        while (regionBytes(extractor, sample, per) > budgetBytes && anyAbove(per, 1)) {
            int widest = 0;
            for (int a = 1; a < rank; a++) {
                if (extent(extractor, sample, a, per[a]) > extent(extractor, sample, widest, per[widest])) {
                    widest = a;
                }
            }
            if (per[widest] == 1) {
                for (int a = 0; a < rank; a++) {
                    if (per[a] > 1) {
                        widest = a;
                        break;
                    }
                }
            }
            per[widest] = (per[widest] + 1) / 2;
        }
        List<Tile> tiles = new ArrayList<>();
        int[] start = new int[rank];
        while (true) {
            int[] end = new int[rank];
            int[] offset = new int[rank];
            int[] size = new int[rank];
            for (int a = 0; a < rank; a++) {
                end[a] = Math.min(counts[a], start[a] + per[a]);
                offset[a] = start[a] * extractor.stride(a);
                int reach = (end[a] - 1) * extractor.stride(a) + extractor.window(a);
                size[a] = Math.min(sample.spatial(a), reach) - offset[a];
            }
            tiles.add(new Tile(start.clone(), end, offset, size));
            int a = rank - 1;
            while (a >= 0) {
                start[a] += per[a];
                if (start[a] < counts[a]) {
                    break;
                }
                start[a] = 0;
                a--;
            }
            if (a < 0) {
                return tiles;
            }
        }
    }

    private static boolean anyAbove(int[] a, int v) {
        for (int x : a) {
            if (x > v) {
                return true;
            }
        }
        return false;
    }

    private static long extent(PatchExtractor e, PatchShape sample, int axis, int windows) {
        return Math.min(sample.spatial(axis), (long) (windows - 1) * e.stride(axis) + e.window(axis));
    }

    private static long regionBytes(PatchExtractor e, PatchShape sample, int[] per) {
        long n = (long) sample.channels() * Float.BYTES;
        for (int a = 0; a < per.length; a++) {
            n *= extent(e, sample, a, per[a]);
        }
        return n;
    }
}
