package io.sparkcae.prep.patching;

import java.io.Serializable;

/**
 * A block of window positions of one sample, read as one region: windows {@code winStart .. winEnd}
 * (exclusive) per spatial axis, whose union is the region {@code offset .. offset + size}.
 */
public record Tile(int[] winStart, int[] winEnd, int[] offset, int[] size) implements Serializable {
    public long regionElements() {
        long n = 1;
        for (int s : size) {
            n *= s;
        }
        return n;
    }
}
