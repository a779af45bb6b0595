package io.sparkcae.prep.dataset;

/**
 * The id of a patch: {@code <source>:<sample index>}, plus {@code @<origin>} when the sample is cut into
 * windows. Stable across runs, so splits (assigned from ids) and joins on ids survive re-running prep.
 */
public final class PatchIds {
    private PatchIds() {
    }

    public static String of(String source, long index, int[] origin, boolean wholeSample) {
        String base = source + ":" + index;
        if (wholeSample) {
            return base;
        }
        StringBuilder b = new StringBuilder(base).append('@');
        for (int i = 0; i < origin.length; i++) {
            b.append(i == 0 ? "" : ",").append(origin[i]);
        }
        return b.toString();
    }
}
