package io.sparkcae.core.config;

import java.io.Serializable;

/**
 * Where the samples come from and how they are split ({@code sparkcae.data.*}).
 *
 * @param input              IDX file/folder or image folder; empty means the bundled Fashion-MNIST location
 * @param testSources        glob of source names whose samples all belong to the test split
 * @param resizePolicy       fail | resize | center-crop (kebab case, as in the config file)
 * @param maxSamplesPerSource 0 for all
 */
public record DataConf(String input, String format, String testSources, double valFraction, double testFraction,
                       long maxSamplesPerSource, String resizePolicy, int imageWidth, int imageHeight,
                       int channels, NanPolicy nanPolicy, String hdf5Dataset, Normalization normalization,
                       double[] clipPercentiles)
        implements Serializable {

    /** What prep does with NaN/Inf values. */
    public enum NanPolicy { FAIL, DROP_PATCH }

    /** How train/encode scale each channel, from the train split's statistics. */
    public enum Normalization { NONE, STANDARDIZE, MINMAX }

    /** Where Debian's dataset-fashion-mnist package installs the IDX files. */
    public static final String FASHION_MNIST_DIR = "/usr/share/datasets/fashion-mnist";

    public String effectiveInput() {
        return input.isBlank() ? FASHION_MNIST_DIR : input;
    }

    private static double[] clipPercentiles(ConfReader r) {
        double[] p = r.doublesOrEmpty("clip-percentiles");
        if (p.length != 0 && (p.length != 2 || p[0] < 0 || p[1] > 100 || p[0] >= p[1])) {
            throw r.bad("clip-percentiles", "must be [] or [low, high] with 0 <= low < high <= 100");
        }
        return p;
    }

    static DataConf read(ConfReader r) {
        String format = r.string("format");
        if (!java.util.List.of("auto", "idx", "images", "npy", "hdf5", "raw").contains(format)) {
            throw r.bad("format", "'" + format + "' is not one of auto | idx | images | npy | hdf5 | raw");
        }
        String policy = r.string("image.resize-policy");
        if (!policy.equals("fail") && !policy.equals("resize") && !policy.equals("center-crop")) {
            throw r.bad("image.resize-policy", "'" + policy + "' is not one of fail | resize | center-crop");
        }
        int channels = r.intAtLeast("image.channels", 1);
        if (channels != 1 && channels != 3) {
            throw r.bad("image.channels", "must be 1 (grayscale) or 3 (RGB), got " + channels);
        }
        double val = r.fraction("val-fraction");
        double test = r.fraction("test-fraction");
        if (val + test >= 1.0) {
            throw r.bad("val-fraction", "val-fraction + test-fraction must be < 1, got " + (val + test));
        }
        return new DataConf(r.string("input"), format, r.string("test-sources"), val, test,
                r.longAtLeast("max-samples-per-source", 0), policy,
                r.intAtLeast("image.width", 0), r.intAtLeast("image.height", 0), channels,
                r.oneOf("nan-policy", NanPolicy.class), r.string("hdf5-dataset"),
                r.oneOf("normalization", Normalization.class), clipPercentiles(r));
    }
}
