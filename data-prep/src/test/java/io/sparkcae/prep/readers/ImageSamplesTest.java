package io.sparkcae.prep.readers;

import io.sparkcae.core.error.SparkCaeException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import javax.imageio.ImageIO;
import java.awt.image.BufferedImage;
import java.io.ByteArrayOutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Iterator;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class ImageSamplesTest {
    @TempDir
    Path dir;

    private static BufferedImage rgb() {
        BufferedImage img = new BufferedImage(5, 3, BufferedImage.TYPE_INT_RGB);
        for (int y = 0; y < 3; y++) {
            for (int x = 0; x < 5; x++) {
                img.setRGB(x, y, (10 * x) << 16 | (40 + 20 * y) << 8 | (200 - x * y));
            }
        }
        return img;
    }

    @Test
    void fileBytesDecodeLikePrepsImageFolderReader() throws Exception {
        Path png = dir.resolve("a.png");
        ImageIO.write(rgb(), "png", png.toFile());
        ImageFolderSampleReader reader = new ImageFolderSampleReader(dir.toString(),
                new ImageOptions(ResizePolicy.FAIL, 0, 0, 3));
        Iterator<Sample> fromFolder = reader.read(reader.plan(100).get(0));
        Sample expected = fromFolder.next();
        Sample s = ImageSamples.fromFileBytes("a.png", Files.readAllBytes(png), 4, 3);
        assertEquals(expected.source(), s.source());
        assertEquals(expected.shape(), s.shape());
        assertArrayEquals(expected.data(), s.data());
        assertEquals(4, s.label());
    }

    @Test
    void bgrPixelsOfSparksImageSourceMatchTheDecodedFile() throws Exception {
        BufferedImage img = rgb();
        byte[] bgr = new byte[5 * 3 * 3];
        for (int y = 0; y < 3; y++) {
            for (int x = 0; x < 5; x++) {
                int p = img.getRGB(x, y);
                int i = (y * 5 + x) * 3;
                bgr[i] = (byte) (p & 0xff);
                bgr[i + 1] = (byte) (p >> 8 & 0xff);
                bgr[i + 2] = (byte) (p >> 16 & 0xff);
            }
        }
        ByteArrayOutputStream png = new ByteArrayOutputStream();
        ImageIO.write(img, "png", png);
        for (int channels : List.of(1, 3)) {
            Sample fromFile = ImageSamples.fromFileBytes("a.png", png.toByteArray(), null, channels);
            Sample fromPixels = ImageSamples.fromBgrPixels("a.png", bgr, 3, 5, 3, null, channels);
            assertEquals(fromFile.shape(), fromPixels.shape());
            assertArrayEquals(fromFile.data(), fromPixels.data(), 1e-6f, channels + " channel(s)");
        }
    }

    @Test
    void undecodableBytesNameTheSource() {
        SparkCaeException e = assertThrows(SparkCaeException.class,
                () -> ImageSamples.fromFileBytes("broken.png", new byte[]{1, 2, 3}, null, 1));
        assertTrue(e.getMessage().startsWith("broken.png: cannot decode image"), e.getMessage());
    }
}
