package io.sparkcae.prep.readers;

import io.sparkcae.core.tensor.PatchShape;

/**
 * Images that are already in memory (rows of Spark's {@code binaryFile} or {@code image} sources) turned
 * into samples the way prep's image-folder reader turns files into them: the same decoders, the same
 * scaling to [0,1] and the same grayscale/RGB conversion, so patches cut from them match prep's.
 */
public final class ImageSamples {
    private ImageSamples() {
    }

    /**
     * @param source   the sample's source name (prep uses the file name)
     * @param content  an image file's bytes (PNG, JPEG, TIFF, BMP, ...)
     * @param channels 1 (grayscale) or 3 (RGB)
     */
    public static Sample fromFileBytes(String source, byte[] content, Integer label, int channels) {
        return sample(source, label, ImageDecoder.decode(content, source, channels));
    }

    /**
     * An 8-bit image as Spark's {@code image} source holds it: rows of pixels, each pixel's channels
     * interleaved in OpenCV order (B, G, R[, A]), or one gray value per pixel.
     */
    public static Sample fromBgrPixels(String source, byte[] pixels, int height, int width, int pixelChannels,
                                       Integer label, int channels) {
        int plane = height * width;
        int colours = pixelChannels >= 3 ? 3 : 1;
        float[] data = new float[colours * plane];
        for (int i = 0; i < plane; i++) {
            if (colours == 1) {
                data[i] = (pixels[i * pixelChannels] & 0xff) / 255f;
            } else {
                for (int c = 0; c < 3; c++) { // R, G, B from B, G, R
                    data[c * plane + i] = (pixels[i * pixelChannels + 2 - c] & 0xff) / 255f;
                }
            }
        }
        return sample(source, label, new FloatImage(colours, height, width, data).withChannels(channels));
    }

    private static Sample sample(String source, Integer label, FloatImage img) {
        return new Sample(source, 0, label, PatchShape.of(img.channels(), img.height(), img.width()), img.data());
    }
}
