package io.sparkcae.core.report;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.awt.Color;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.stream.Stream;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class LossCurvePlotTest {

    private static final byte[] PNG_SIGNATURE = {(byte) 0x89, 'P', 'N', 'G', '\r', '\n', 0x1A, '\n'};

    @TempDir
    Path dir;

    private static BufferedImage readPng(Path png) throws IOException {
        byte[] bytes = Files.readAllBytes(png);
        assertArrayEquals(PNG_SIGNATURE, Arrays.copyOf(bytes, 8), "file starts with the PNG signature");
        BufferedImage img = ImageIO.read(png.toFile());
        assertNotNull(img, "ImageIO can decode it");
        assertEquals(LossCurvePlot.WIDTH, img.getWidth());
        assertEquals(LossCurvePlot.HEIGHT, img.getHeight());
        return img;
    }

    /** Counts pixels of exactly this colour; markers are filled with it, so a drawn series has many. */
    private static int count(BufferedImage img, Color color) {
        int target = color.getRGB() & 0xFFFFFF;
        int n = 0;
        for (int y = 0; y < img.getHeight(); y++) {
            for (int x = 0; x < img.getWidth(); x++) {
                if ((img.getRGB(x, y) & 0xFFFFFF) == target) {
                    n++;
                }
            }
        }
        return n;
    }

    @Test
    void drawsBothSeriesAtTheRequestedSize() throws IOException {
        List<EpochLoss> epochs = List.of(
                new EpochLoss(3, 0.02, 0.025), new EpochLoss(1, 0.08, 0.09), new EpochLoss(2, 0.04, 0.05));
        Path png = dir.resolve("loss.png");

        LossCurvePlot.write(epochs, png);

        BufferedImage img = readPng(png);
        assertTrue(count(img, LossCurvePlot.TRAIN_COLOR) > 50, "train series drawn");
        assertTrue(count(img, LossCurvePlot.VAL_COLOR) > 50, "val series drawn");
        try (Stream<Path> files = Files.list(dir)) {
            assertEquals(List.of(png), files.toList(), "no temp file left behind");
        }
    }

    @Test
    void singleEpochIsDrawnAsMarkers() throws IOException {
        Path png = dir.resolve("one.png");

        LossCurvePlot.write(List.of(new EpochLoss(0, 0.5, 0.6)), png);

        BufferedImage img = readPng(png);
        assertTrue(count(img, LossCurvePlot.TRAIN_COLOR) > 10);
        assertTrue(count(img, LossCurvePlot.VAL_COLOR) > 10);
    }

    @Test
    void seriesWithOnlyNaNIsLeftOutAndPartialNaNIsSkipped() throws IOException {
        // No validation split: every val loss is NaN. Train has one NaN epoch in the middle.
        List<EpochLoss> epochs = List.of(
                new EpochLoss(0, 1.0, Double.NaN), new EpochLoss(1, Double.NaN, Double.NaN),
                new EpochLoss(2, 0.3, Double.NaN), new EpochLoss(3, Double.POSITIVE_INFINITY, Double.NaN));
        Path png = dir.resolve("nan.png");

        LossCurvePlot.write(epochs, png);

        BufferedImage img = readPng(png);
        assertTrue(count(img, LossCurvePlot.TRAIN_COLOR) > 10, "finite train points drawn");
        assertEquals(0, count(img, LossCurvePlot.VAL_COLOR), "no val series, not even in the legend");
    }

    @Test
    void allNaNStillWritesAnEmptyChart() throws IOException {
        Path png = dir.resolve("empty.png");

        LossCurvePlot.write(List.of(new EpochLoss(0, Double.NaN, Double.NaN)), png);

        BufferedImage img = readPng(png);
        assertEquals(0, count(img, LossCurvePlot.TRAIN_COLOR));
        assertEquals(0, count(img, LossCurvePlot.VAL_COLOR));
    }

    @Test
    void rejectsEmptyHistory() {
        Path png = dir.resolve("none.png");
        assertThrows(IllegalArgumentException.class, () -> LossCurvePlot.write(List.of(), png));
        assertFalse(Files.exists(png));
    }
}
