package io.sparkcae.core.report;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.stream.Stream;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ReconstructionGridTest {

    private static final int SEP = ReconstructionGrid.SEPARATOR_PX;

    @TempDir
    Path dir;

    private static float[] filled(int n, float v) {
        float[] a = new float[n];
        Arrays.fill(a, v);
        return a;
    }

    private static int rgb(BufferedImage img, int x, int y) {
        return img.getRGB(x, y) & 0xFFFFFF;
    }

    @Test
    void grayGridHasInputsOnTopAndReconstructionsBelow() throws IOException {
        int h = 2, w = 3, scale = 4;
        float[][] inputs = {filled(h * w, 1f), filled(h * w, 0f)};
        float[][] recon = {filled(h * w, 0.5f), filled(h * w, 0.25f)};
        Path png = dir.resolve("grid.png");

        ReconstructionGrid.write(inputs, recon, 1, h, w, png, scale);

        BufferedImage img = ImageIO.read(png.toFile());
        int tileW = w * scale, tileH = h * scale;
        assertEquals(2 * tileW + 3 * SEP, img.getWidth());
        assertEquals(2 * tileH + 3 * SEP, img.getHeight());

        int col0 = SEP, col1 = SEP + tileW + SEP;
        int row0 = SEP, row1 = SEP + tileH + SEP;
        // Check first and last pixel of each tile so an off-by-one in the layout shows up.
        for (int[] corner : new int[][] {{0, 0}, {tileW - 1, tileH - 1}}) {
            assertEquals(0xFFFFFF, rgb(img, col0 + corner[0], row0 + corner[1]), "input 0 is white");
            assertEquals(0x000000, rgb(img, col1 + corner[0], row0 + corner[1]), "input 1 is black");
            assertEquals(0x808080, rgb(img, col0 + corner[0], row1 + corner[1]), "recon 0 is mid gray");
            assertEquals(0x404040, rgb(img, col1 + corner[0], row1 + corner[1]), "recon 1 is quarter gray");
        }
        int sep = ReconstructionGrid.SEPARATOR_RGB;
        assertEquals(sep, rgb(img, 0, 0), "outer border");
        assertEquals(sep, rgb(img, col0 + tileW, row0), "vertical separator between columns");
        assertEquals(sep, rgb(img, col0 + tileW + SEP - 1, row1), "separator is 2px wide");
        assertEquals(sep, rgb(img, col0, row0 + tileH), "horizontal separator between rows");
        assertEquals(sep, rgb(img, img.getWidth() - 1, img.getHeight() - 1), "outer border, bottom right");
    }

    @Test
    void singlePixelIsUpscaledToAnExactNearestBlock() throws IOException {
        int h = 3, w = 4, scale = 3;
        float[] input = new float[h * w];
        input[1 * w + 2] = 1f; // (y=1, x=2)
        Path png = dir.resolve("dot.png");

        ReconstructionGrid.write(new float[][] {input}, new float[][] {input}, 1, h, w, png, scale);

        BufferedImage img = ImageIO.read(png.toFile());
        for (int row = 0; row < 2; row++) {
            int top = SEP + row * (h * scale + SEP);
            for (int y = 0; y < h * scale; y++) {
                for (int x = 0; x < w * scale; x++) {
                    boolean inBlock = y / scale == 1 && x / scale == 2;
                    assertEquals(inBlock ? 0xFFFFFF : 0x000000, rgb(img, SEP + x, top + y),
                            "row " + row + " pixel (" + x + "," + y + ")");
                }
            }
        }
    }

    @Test
    void rgbPatchesAreReadChannelFirstAndClamped() throws IOException {
        int h = 2, w = 2;
        float[] input = new float[3 * h * w];
        // Channel-major: red plane, then green, then blue.
        input[0] = 1.7f;              // R of (0,0), above range -> 255
        input[h * w + 1] = 1f;        // G of (0,1)
        input[2 * h * w + 2] = 1f;    // B of (1,0)
        input[3] = -0.3f;             // R of (1,1), below range -> 0
        input[2 * h * w + 3] = Float.NaN; // B of (1,1) -> 0
        float[] recon = filled(3 * h * w, 0f);
        Path png = dir.resolve("rgb.png");

        ReconstructionGrid.write(new float[][] {input}, new float[][] {recon}, 3, h, w, png, 1);

        BufferedImage img = ImageIO.read(png.toFile());
        assertEquals(0xFF0000, rgb(img, SEP, SEP));
        assertEquals(0x00FF00, rgb(img, SEP + 1, SEP));
        assertEquals(0x0000FF, rgb(img, SEP, SEP + 1));
        assertEquals(0x000000, rgb(img, SEP + 1, SEP + 1));
        assertEquals(0x000000, rgb(img, SEP, SEP + h + SEP), "reconstruction row");
    }

    @Test
    void overwritesAtomicallyWithoutLeavingTempFiles() throws IOException {
        Path png = dir.resolve("sub/grid.png");
        float[][] one = {filled(4, 1f)};
        ReconstructionGrid.write(one, one, 1, 2, 2, png, 2);
        ReconstructionGrid.write(one, one, 1, 2, 2, png, 5);

        assertEquals(2 * 5 + 2 * SEP, ImageIO.read(png.toFile()).getWidth(), "second write replaced the first");
        try (Stream<Path> files = Files.list(png.getParent())) {
            assertEquals(1, files.count(), "only the PNG remains");
        }
    }

    @Test
    void rejectsMismatchedShapesNamingTheProblem() {
        Path png = dir.resolve("bad.png");
        float[] ok = filled(12, 0f);

        IllegalArgumentException count = assertThrows(IllegalArgumentException.class, () ->
                ReconstructionGrid.write(new float[][] {ok, ok}, new float[][] {ok}, 1, 3, 4, png, 1));
        assertTrue(count.getMessage().contains("reconstructions has 1"), count.getMessage());

        IllegalArgumentException length = assertThrows(IllegalArgumentException.class, () ->
                ReconstructionGrid.write(new float[][] {ok, new float[11]}, new float[][] {ok, ok}, 1, 3, 4, png, 1));
        assertTrue(length.getMessage().contains("inputs[1] has 11"), length.getMessage());

        IllegalArgumentException reconLength = assertThrows(IllegalArgumentException.class, () ->
                ReconstructionGrid.write(new float[][] {ok}, new float[][] {ok}, 3, 3, 4, png, 1));
        assertTrue(reconLength.getMessage().contains("inputs[0] has 12 values, expected C*H*W = 3*3*4 = 36"),
                reconLength.getMessage());

        assertThrows(IllegalArgumentException.class, () ->
                ReconstructionGrid.write(new float[][] {ok}, new float[][] {ok}, 2, 3, 2, png, 1), "2 channels");
        assertThrows(IllegalArgumentException.class, () ->
                ReconstructionGrid.write(new float[][] {ok}, new float[][] {ok}, 1, 3, 4, png, 0), "scale 0");

        float[][] seventeen = new float[ReconstructionGrid.MAX_COLUMNS + 1][];
        Arrays.fill(seventeen, ok);
        assertThrows(IllegalArgumentException.class, () ->
                ReconstructionGrid.write(seventeen, seventeen, 1, 3, 4, png, 1), "too many columns");
        assertThrows(IllegalArgumentException.class, () ->
                ReconstructionGrid.write(new float[0][], new float[0][], 1, 3, 4, png, 1), "no columns");
        assertTrue(Files.notExists(png), "nothing written on bad input");
    }
}
