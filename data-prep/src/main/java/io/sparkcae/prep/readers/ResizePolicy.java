package io.sparkcae.prep.readers;

import java.util.Locale;

/** What to do with an image whose size differs from the target size ({@code data.image.resize-policy}). */
public enum ResizePolicy {
    /** Refuse: mixed sizes usually mean the wrong folder, so stop before training on it. */
    FAIL,
    /** Bilinear resampling to the target size; changes the aspect ratio if it differs. */
    RESIZE,
    /** Keep the central target-sized window; keeps pixel scale, loses the borders. */
    CENTER_CROP;

    /** Parses the config spelling: fail | resize | center-crop. */
    public static ResizePolicy fromConfig(String value) {
        return switch (value.trim().toLowerCase(Locale.ROOT)) {
            case "fail" -> FAIL;
            case "resize" -> RESIZE;
            case "center-crop" -> CENTER_CROP;
            default -> throw new IllegalArgumentException(
                    "data.image.resize-policy: '" + value + "' is not one of fail | resize | center-crop");
        };
    }
}
