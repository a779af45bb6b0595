package io.sparkcae.prep.readers;

import io.sparkcae.core.error.SparkCaeException;

import javax.imageio.ImageIO;
import javax.imageio.ImageReader;
import javax.imageio.stream.ImageInputStream;
import javax.imageio.stream.MemoryCacheImageInputStream;
import java.awt.color.ColorSpace;
import java.awt.image.BufferedImage;
import java.awt.image.ColorModel;
import java.awt.image.DataBuffer;
import java.awt.image.IndexColorModel;
import java.awt.image.Raster;
import java.io.IOException;
import java.io.InputStream;
import java.util.Iterator;

/**
 * Turns one image file into a {@link FloatImage} with javax.imageio (plus the TwelveMonkeys TIFF plugin).
 * Integer samples are scaled by their own bit depth, so a 16-bit image keeps its full precision instead
 * of being squeezed through 8-bit sRGB as {@link BufferedImage#getRGB} would.
 */
final class ImageDecoder {

    static {
        // Spark loads the application jar in a child class loader; ImageIO's registry may have been filled
        // before it was visible, which would hide the TwelveMonkeys plugins. Rescan with the current loader.
        ImageIO.scanForPlugins();
    }

    private ImageDecoder() {
    }

    /** Width and height from the file's header, without decoding pixels. */
    static int[] size(InputFile file) {
        return withReader(file, reader -> new int[]{reader.getWidth(0), reader.getHeight(0)});
    }

    /** Decodes the first image in the file to {@code channels} channels (1 or 3). */
    static FloatImage decode(InputFile file, int channels) {
        BufferedImage image = withReader(file, reader -> reader.read(0));
        return toFloat(image).withChannels(channels);
    }

    /**
     * Decodes only a region of the first image: decoders that support source regions (PNG, TIFF, ...) then
     * never hold the whole image, which is what keeps tile tasks of very large images within memory.
     */
    static FloatImage decodeRegion(InputFile file, int channels, int x, int y, int width, int height) {
        BufferedImage image = withReader(file, reader -> {
            javax.imageio.ImageReadParam param = reader.getDefaultReadParam();
            param.setSourceRegion(new java.awt.Rectangle(x, y, width, height));
            return reader.read(0, param);
        });
        return toFloat(image).withChannels(channels);
    }

    /**
     * Decodes an image file's bytes already in memory (e.g. a row of Spark's binaryFile source).
     *
     * @param display how messages name the image
     */
    static FloatImage decode(byte[] content, String display, int channels) {
        BufferedImage image = withReader(new java.io.ByteArrayInputStream(content), display, reader -> reader.read(0));
        return toFloat(image).withChannels(channels);
    }

    private interface ReaderAction<T> {
        T apply(ImageReader reader) throws IOException;
    }

    /** Opens the file, finds a decoder by content and turns every failure into a message naming the file. */
    private static <T> T withReader(InputFile file, ReaderAction<T> action) {
        return withReader(file.openRaw(), file.display(), action);
    }

    private static <T> T withReader(InputStream source, String display, ReaderAction<T> action) {
        try (InputStream raw = source; ImageInputStream in = new MemoryCacheImageInputStream(raw)) {
            Iterator<ImageReader> readers = ImageIO.getImageReaders(in);
            if (!readers.hasNext()) {
                throw SparkCaeException.badData(display + ": cannot decode image: no decoder recognises "
                        + "its content (corrupt, or not really a png/jpg/tif/bmp file)");
            }
            ImageReader reader = readers.next();
            try {
                reader.setInput(in, true, true);
                return action.apply(reader);
            } finally {
                reader.dispose();
            }
        } catch (SparkCaeException e) {
            throw e;
        } catch (IOException | RuntimeException e) {
            // Decoders report corrupt data as IIOException but also as assorted runtime exceptions.
            throw SparkCaeException.badData(display + ": cannot decode image (" + describe(e) + ")", e);
        }
    }

    /** Decoder messages may be null or span lines; the user gets one line either way. */
    private static String describe(Exception e) {
        String message = e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage();
        return message.replaceAll("\\s+", " ").trim();
    }

    static FloatImage toFloat(BufferedImage image) {
        int colours = image.getColorModel().getNumColorComponents();
        return hasPlainSamples(image) ? fromSamples(image, colours) : fromRgb(image);
    }

    /**
     * True when the raster holds gray or RGB values directly as unsigned integers of at most 16 bits, so
     * they can be scaled by bit depth. Palettes, packed bits, floats and exotic colour spaces go through the
     * colour model instead.
     */
    private static boolean hasPlainSamples(BufferedImage image) {
        ColorModel cm = image.getColorModel();
        Raster raster = image.getRaster();
        int type = raster.getTransferType();
        int space = cm.getColorSpace().getType();
        if (cm instanceof IndexColorModel
                || (type != DataBuffer.TYPE_BYTE && type != DataBuffer.TYPE_USHORT && type != DataBuffer.TYPE_INT)
                || (space != ColorSpace.TYPE_GRAY && space != ColorSpace.TYPE_RGB)) {
            return false;
        }
        int bits = raster.getSampleModel().getSampleSize(0);
        for (int b = 0; b < cm.getNumColorComponents(); b++) {
            if (raster.getSampleModel().getSampleSize(b) != bits) {
                return false;
            }
        }
        return bits <= 16;
    }

    /** Scales each colour band by its maximum, 2^bits - 1: 255 for 8-bit files, 65535 for 16-bit ones. */
    private static FloatImage fromSamples(BufferedImage image, int colours) {
        Raster raster = image.getRaster();
        int w = image.getWidth();
        int h = image.getHeight();
        float max = (1 << raster.getSampleModel().getSampleSize(0)) - 1;
        int plane = w * h;
        float[] data = new float[colours * plane];
        int[] band = new int[plane];
        for (int c = 0; c < colours; c++) {
            // Bands follow the colour model's order (R, G, B), whatever the byte layout (e.g. BGR).
            raster.getSamples(raster.getMinX(), raster.getMinY(), w, h, c, band);
            for (int i = 0; i < plane; i++) {
                data[c * plane + i] = band[i] / max;
            }
        }
        return new FloatImage(colours, h, w, data);
    }

    /** Everything else: let the colour model produce 8-bit sRGB. */
    private static FloatImage fromRgb(BufferedImage image) {
        int w = image.getWidth();
        int h = image.getHeight();
        int plane = w * h;
        int[] argb = image.getRGB(0, 0, w, h, null, 0, w);
        float[] data = new float[3 * plane];
        for (int i = 0; i < plane; i++) {
            data[i] = ((argb[i] >> 16) & 0xff) / 255f;
            data[plane + i] = ((argb[i] >> 8) & 0xff) / 255f;
            data[2 * plane + i] = (argb[i] & 0xff) / 255f;
        }
        return new FloatImage(3, h, w, data);
    }
}
