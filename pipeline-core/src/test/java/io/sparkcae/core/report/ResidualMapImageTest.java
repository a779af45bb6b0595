package io.sparkcae.core.report;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.Path;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ResidualMapImageTest {

    @TempDir
    Path dir;

    private static int rgb(BufferedImage img, int x, int y) {
        return img.getRGB(x, y) & 0xFFFFFF;
    }

    private static int brightness(int rgb) {
        return ((rgb >> 16) & 0xFF) + ((rgb >> 8) & 0xFF) + (rgb & 0xFF);
    }

    @Test
    void largestAbsoluteResidualIsWhiteAndZeroIsBlack() throws IOException {
        // Row-major 2x3; the largest magnitude is negative so sign handling is exercised.
        float[] residual = {0f, 0.5f, -1f, -2f, 1.5f, 0.25f};
        Path png = dir.resolve("res.png");
        int scale = 5;

        ResidualMapImage.write(residual, 2, 3, png, scale);

        BufferedImage img = ImageIO.read(png.toFile());
        assertEquals(3 * scale, img.getWidth());
        assertEquals(2 * scale, img.getHeight());
        int brightest = 0;
        int brightestX = -1, brightestY = -1;
        for (int y = 0; y < img.getHeight(); y++) {
            for (int x = 0; x < img.getWidth(); x++) {
                if (brightness(rgb(img, x, y)) > brightest) {
                    brightest = brightness(rgb(img, x, y));
                    brightestX = x / scale;
                    brightestY = y / scale;
                }
            }
        }
        assertEquals(0, brightestX, "max |residual| is at (x=0,y=1)");
        assertEquals(1, brightestY);
        assertEquals(0xFFFFFF, rgb(img, 0, scale), "max is the brightest ramp colour");
        assertEquals(0x000000, rgb(img, 0, 0), "zero residual is black");
        // |0.25|/2 = 0.125 sits in the black->red third: pure dark red.
        int low = rgb(img, 2 * scale, scale);
        assertTrue((low >> 16) > 0 && (low & 0xFFFF) == 0, Integer.toHexString(low));
    }

    @Test
    void brightnessGrowsWithResidualMagnitude() throws IOException {
        int n = 11;
        float[] residual = new float[n];
        for (int i = 0; i < n; i++) {
            residual[i] = -i / 10f;
        }
        Path png = dir.resolve("ramp.png");

        ResidualMapImage.write(residual, 1, n, png, 1);

        BufferedImage img = ImageIO.read(png.toFile());
        for (int x = 1; x < n; x++) {
            assertTrue(brightness(rgb(img, x, 0)) > brightness(rgb(img, x - 1, 0)),
                    "pixel " + x + " brighter than " + (x - 1));
        }
    }

    @Test
    void rampPassesThroughRedAndYellowToWhite() {
        assertEquals(0x000000, HeatRamp.rgb(0.0));
        assertEquals(0xFF0000, HeatRamp.rgb(1.0 / 3.0));
        assertEquals(0xFFFF00, HeatRamp.rgb(2.0 / 3.0));
        assertEquals(0xFFFFFF, HeatRamp.rgb(1.0));
        assertEquals(0xFFFFFF, HeatRamp.rgb(7.0), "clamped above");
        assertEquals(0x000000, HeatRamp.rgb(Double.NaN));
    }

    @Test
    void allZeroResidualStaysBlack() throws IOException {
        Path png = dir.resolve("zero.png");
        ResidualMapImage.write(new float[16], 4, 4, png, 2);

        BufferedImage img = ImageIO.read(png.toFile());
        for (int y = 0; y < img.getHeight(); y++) {
            for (int x = 0; x < img.getWidth(); x++) {
                assertEquals(0, rgb(img, x, y));
            }
        }
    }

    @Test
    void nonFiniteValuesDoNotWashOutTheMap() throws IOException {
        float[] residual = {Float.NaN, Float.POSITIVE_INFINITY, 0.5f, 0.25f};
        Path png = dir.resolve("nan.png");

        ResidualMapImage.write(residual, 2, 2, png, 1);

        BufferedImage img = ImageIO.read(png.toFile());
        assertEquals(0x000000, rgb(img, 0, 0), "NaN is black");
        assertEquals(0xFFFFFF, rgb(img, 1, 0), "infinity is saturated");
        assertEquals(0xFFFFFF, rgb(img, 0, 1), "the finite max is still white");
    }

    @Test
    void rejectsLengthMismatch() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () ->
                ResidualMapImage.write(new float[5], 2, 3, dir.resolve("x.png"), 1));
        assertTrue(e.getMessage().contains("residual has 5 values, expected H*W = 2*3 = 6"), e.getMessage());
    }
}
