package io.sparkcae.prep.reassembly;

import io.sparkcae.core.files.AtomicFileWrite;

import io.sparkcae.core.tensor.PatchShape;

import javax.imageio.ImageIO;
import javax.imageio.ImageWriter;
import javax.imageio.stream.ImageOutputStream;
import javax.imageio.stream.MemoryCacheImageOutputStream;
import java.awt.Transparency;
import java.awt.color.ColorSpace;
import java.awt.image.BufferedImage;
import java.awt.image.ComponentColorModel;
import java.awt.image.DataBuffer;
import java.awt.image.WritableRaster;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.file.Path;
import java.util.Iterator;

/**
 * Writes a 2D single-channel sample (1, H, W) as grayscale TIFF, the format microscopy and imaging tools
 * (Fiji, QuPath) open directly: 16-bit ([0, 1] scaled to 0..65535, clamped, NaN → 0) or 32-bit float
 * (values as they are, NaN kept).
 *
 * <p>Every registered TIFF writer is tried in turn. TwelveMonkeys (3.12) writes the 16-bit files but
 * rejects float rasters ("Not implemented for data type: 4"), so float files come from the next writer:
 * jai-imageio (pulled in by datavec-data-image) or, without it, the JDK's own TIFF plugin (Java 9+); both
 * write SampleFormat = IEEE float. Reading float TIFFs back: TwelveMonkeys' reader clamps the values to
 * [0, 1], the JDK and jai-imageio readers do not.
 */
public final class TiffWriter {
    private TiffWriter() {
    }

    public static void writeGray16(Path file, PatchShape shape, float[] values) throws IOException {
        checkGray(shape, values);
        BufferedImage image = new BufferedImage(shape.spatial(1), shape.spatial(0), BufferedImage.TYPE_USHORT_GRAY);
        WritableRaster r = image.getRaster();
        int w = shape.spatial(1);
        for (int y = 0; y < shape.spatial(0); y++) {
            for (int x = 0; x < w; x++) {
                r.setSample(x, y, 0, UnitQuantizer.level(values[y * w + x], 65535));
            }
        }
        save(file, image);
    }

    public static void writeFloat32(Path file, PatchShape shape, float[] values) throws IOException {
        checkGray(shape, values);
        ComponentColorModel model = new ComponentColorModel(ColorSpace.getInstance(ColorSpace.CS_GRAY),
                false, false, Transparency.OPAQUE, DataBuffer.TYPE_FLOAT);
        int w = shape.spatial(1);
        int h = shape.spatial(0);
        WritableRaster r = model.createCompatibleWritableRaster(w, h);
        r.setSamples(0, 0, w, h, 0, values);
        save(file, new BufferedImage(model, r, false, null));
    }

    private static void checkGray(PatchShape shape, float[] values) {
        PngWriter.check(shape, values);
        if (shape.channels() != 1) {
            throw new IllegalArgumentException("grayscale TIFF takes 1 channel, got " + shape);
        }
    }

    private static void save(Path file, BufferedImage image) throws IOException {
        byte[] bytes = encode(image);
        AtomicFileWrite.write(file, out -> out.write(bytes));
    }

    /** In memory first, so a writer that gives up half-way leaves nothing behind for the next one. */
    private static byte[] encode(BufferedImage image) throws IOException {
        IOException failure = new IOException("no TIFF writer could encode a " + describe(image) + " image");
        Iterator<ImageWriter> writers = ImageIO.getImageWritersByFormatName("tiff");
        while (writers.hasNext()) {
            ImageWriter writer = writers.next();
            ByteArrayOutputStream bytes = new ByteArrayOutputStream();
            try {
                // Closing the stream is what moves its cache into the bytes.
                try (ImageOutputStream out = new MemoryCacheImageOutputStream(bytes)) {
                    writer.setOutput(out);
                    writer.write(image);
                }
                return bytes.toByteArray();
            } catch (IOException | RuntimeException e) {
                failure.addSuppressed(e);
            } finally {
                writer.dispose();
            }
        }
        throw failure;
    }

    private static String describe(BufferedImage image) {
        return image.getRaster().getDataBuffer().getDataType() == DataBuffer.TYPE_FLOAT ? "float32" : "16-bit";
    }
}
