package io.sparkcae.prep.reassembly;

/**
 * Maps a value nominally in [0, 1] to an integer level 0..max. Out-of-range values are clamped and NaN
 * (an uncovered position of a blended sample) becomes 0, so an image can always be written.
 */
final class UnitQuantizer {
    private UnitQuantizer() {
    }

    static int level(float v, int max) {
        if (!(v > 0f)) {
            return 0;
        }
        if (v >= 1f) {
            return max;
        }
        return (int) Math.round((double) v * max);
    }
}
