package io.sparkcae.prep.readers;

import javax.imageio.ImageIO;
import java.awt.image.BufferedImage;
import java.awt.image.WritableRaster;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;

/** Writes small image files with known pixel values for the image reader tests. */
final class ImageFileWriter {

    /** A pixel value as a function of its position. */
    interface PixelFunction {
        int at(int x, int y);
    }

    private ImageFileWriter() {
    }

    /** 8-bit grayscale; the format follows the file extension. */
    static Path gray8(Path file, int width, int height, PixelFunction value) {
        return write(file, samples(BufferedImage.TYPE_BYTE_GRAY, width, height, value));
    }

    /** 16-bit grayscale (TYPE_USHORT_GRAY). */
    static Path gray16(Path file, int width, int height, PixelFunction value) {
        return write(file, samples(BufferedImage.TYPE_USHORT_GRAY, width, height, value));
    }

    /** 8-bit RGB; {@code rgb} returns 0xRRGGBB. */
    static Path rgb(Path file, int width, int height, PixelFunction rgb) {
        BufferedImage image = new BufferedImage(width, height, BufferedImage.TYPE_INT_RGB);
        for (int y = 0; y < height; y++) {
            for (int x = 0; x < width; x++) {
                image.setRGB(x, y, rgb.at(x, y));
            }
        }
        return write(file, image);
    }

    /** Arbitrary bytes under an image name, e.g. a corrupt file. */
    static Path bytes(Path file, byte[] content) {
        return IdxFileWriter.write(file, content);
    }

    private static BufferedImage samples(int type, int width, int height, PixelFunction value) {
        BufferedImage image = new BufferedImage(width, height, type);
        WritableRaster raster = image.getRaster();
        for (int y = 0; y < height; y++) {
            for (int x = 0; x < width; x++) {
                raster.setSample(x, y, 0, value.at(x, y));
            }
        }
        return image;
    }

    private static Path write(Path file, BufferedImage image) {
        String name = file.getFileName().toString();
        String format = name.substring(name.lastIndexOf('.') + 1).toLowerCase(Locale.ROOT);
        try {
            Files.createDirectories(file.getParent());
            if (!ImageIO.write(image, format.equals("tif") ? "tiff" : format, file.toFile())) {
                throw new IllegalStateException("no ImageIO writer for " + format + " and this image type");
            }
            return file;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
