package io.sparkcae.core.report;

import io.sparkcae.core.files.AtomicFileWrite;

import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.Path;
import javax.imageio.ImageIO;

/** Saves figures as PNG through {@link AtomicFileWrite}. */
final class PngFile {

    private PngFile() {
    }

    static void write(BufferedImage image, Path png) throws IOException {
        AtomicFileWrite.write(png, out -> {
            // ImageIO reports a missing encoder by returning false rather than throwing.
            if (!ImageIO.write(image, "png", out)) {
                throw new IOException("no PNG writer available for image type " + image.getType());
            }
        });
    }
}
