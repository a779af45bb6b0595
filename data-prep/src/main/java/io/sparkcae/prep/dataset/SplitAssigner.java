package io.sparkcae.prep.dataset;

import java.io.Serializable;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileSystems;
import java.nio.file.Path;
import java.nio.file.PathMatcher;

/**
 * Assigns a split from the patch id alone, so re-running prep (with any partitioning, on any cluster)
 * puts every patch in the same split, and adding new files never moves old patches between splits.
 * Whole sources can be pinned to the test split by a glob (e.g. the t10k files of MNIST).
 */
public final class SplitAssigner implements Serializable {
    private static final long serialVersionUID = 1L;
    private final double valFraction;
    private final double testFraction;
    private final String testSourcesGlob;
    private transient PathMatcher matcher;

    public SplitAssigner(double valFraction, double testFraction, String testSourcesGlob) {
        this.valFraction = valFraction;
        this.testFraction = testFraction;
        this.testSourcesGlob = testSourcesGlob == null ? "" : testSourcesGlob;
    }

    public Split assign(String source, String patchId) {
        if (isTestSource(source)) {
            return Split.TEST;
        }
        double u = unitInterval(patchId);
        if (u < valFraction) {
            return Split.VAL;
        }
        if (u < valFraction + testFraction) {
            return Split.TEST;
        }
        return Split.TRAIN;
    }

    public boolean isTestSource(String source) {
        if (testSourcesGlob.isEmpty()) {
            return false;
        }
        if (matcher == null) {
            matcher = FileSystems.getDefault().getPathMatcher("glob:" + testSourcesGlob);
        }
        return matcher.matches(Path.of(source).getFileName());
    }

    /** FNV-1a over the UTF-8 bytes, then a SplitMix64 finaliser: uniform in [0,1), stable across JVMs. */
    static double unitInterval(String id) {
        long h = 0xcbf29ce484222325L;
        for (byte b : id.getBytes(StandardCharsets.UTF_8)) {
            h ^= (b & 0xff);
            h *= 0x100000001b3L;
        }
        h ^= h >>> 30;
        h *= 0xbf58476d1ce4e5b9L;
        h ^= h >>> 27;
        h *= 0x94d049bb133111ebL;
        h ^= h >>> 31;
        return (h >>> 11) * 0x1.0p-53;
    }
}
