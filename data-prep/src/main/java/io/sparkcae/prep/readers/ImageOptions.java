package io.sparkcae.prep.readers;

import io.sparkcae.core.config.DataConf;

import java.io.Serializable;

/**
 * How image files become samples.
 *
 * @param resizePolicy what to do when an image is not the target size
 * @param width        target width; 0 takes the first image's width (first in relative-path order)
 * @param height       target height; 0 takes the first image's height
 * @param channels     1 for grayscale (colour is converted with Rec. 601 luma), 3 for RGB
 */
public record ImageOptions(ResizePolicy resizePolicy, int width, int height, int channels) implements Serializable {

    public ImageOptions {
        if (resizePolicy == null) {
            throw new IllegalArgumentException("resizePolicy is required");
        }
        if (width < 0 || height < 0) {
            throw new IllegalArgumentException("image width and height must be >= 0, got " + width + "x" + height);
        }
        if (channels != 1 && channels != 3) {
            throw new IllegalArgumentException("image channels must be 1 (grayscale) or 3 (RGB), got " + channels);
        }
    }

    /** Grayscale, every image the size of the first one, anything else refused. */
    public static ImageOptions defaults() {
        return new ImageOptions(ResizePolicy.FAIL, 0, 0, 1);
    }

    /** The options {@code sparkcae.data.image.*} asks for. */
    public static ImageOptions of(DataConf data) {
        return new ImageOptions(ResizePolicy.fromConfig(data.resizePolicy()), data.imageWidth(), data.imageHeight(),
                data.channels());
    }
}
