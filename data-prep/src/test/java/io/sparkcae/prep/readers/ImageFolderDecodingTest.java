package io.sparkcae.prep.readers;

import io.sparkcae.core.tensor.PatchShape;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import javax.imageio.ImageIO;
import java.awt.image.BufferedImage;
import java.nio.file.Path;
import java.util.List;

import static io.sparkcae.prep.readers.ImageFileWriter.gray16;
import static io.sparkcae.prep.readers.ImageFileWriter.gray8;
import static io.sparkcae.prep.readers.ImageFileWriter.rgb;
import static io.sparkcae.prep.readers.SampleAssertions.readAll;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

/** Pixel values as they leave the image reader: scaling by bit depth and colour conversion. */
class ImageFolderDecodingTest {

    private static final ImageOptions GRAY = new ImageOptions(ResizePolicy.FAIL, 0, 0, 1);
    private static final ImageOptions RGB = new ImageOptions(ResizePolicy.FAIL, 0, 0, 3);
    private static final int RED = 0xff0000;
    private static final int GREEN = 0x00ff00;
    private static final int BLUE = 0x0000ff;
    private static final int WHITE = 0xffffff;
    private static final int[] COLOURS = {RED, GREEN, BLUE, WHITE};

    @TempDir
    Path root;

    private Sample only(ImageOptions options) {
        List<Sample> samples = readAll(new ImageFolderSampleReader(root.toString(), options), 10);
        assertEquals(1, samples.size());
        return samples.get(0);
    }

    @Test
    void sixteenBitPngIsDividedBy65535() {
        int[] values = {0, 1, 257, 1000, 32768, 65534, 65535, 40000};
        gray16(root.resolve("deep.png"), 4, 2, (x, y) -> values[y * 4 + x]);
        Sample s = only(GRAY);
        assertEquals(PatchShape.of(1, 2, 4), s.shape());
        for (int i = 0; i < values.length; i++) {
            assertEquals(values[i] / 65535f, s.data()[i], "pixel " + i);
        }
        // 1/65535 survives: the value did not pass through 8 bits
        assertEquals(1 / 65535f, s.data()[1]);
    }

    @Test
    void sixteenBitTiffIsDividedBy65535() {
        gray16(root.resolve("deep.tif"), 3, 1, (x, y) -> new int[]{7, 30000, 65535}[x]);
        assertArrayEquals(new float[]{7 / 65535f, 30000 / 65535f, 1f}, only(GRAY).data());
    }

    @Test
    void rgbBecomesGrayWithRec601Luma() {
        rgb(root.resolve("colours.png"), 4, 1, (x, y) -> COLOURS[x]);
        Sample s = only(GRAY);
        assertEquals(PatchShape.of(1, 1, 4), s.shape());
        assertArrayEquals(new float[]{0.299f, 0.587f, 0.114f, 1f}, s.data(), 1e-6f);
    }

    @Test
    void rgbWithThreeChannelsIsChannelFirst() {
        rgb(root.resolve("colours.bmp"), 2, 2, (x, y) -> COLOURS[y * 2 + x]);
        Sample s = only(RGB);
        assertEquals(PatchShape.of(3, 2, 2), s.shape());
        assertArrayEquals(new float[]{
                1, 0, 0, 1,   // R plane: red, green / blue, white
                0, 1, 0, 1,   // G plane
                0, 0, 1, 1},  // B plane
                s.data());
    }

    @Test
    void grayWithThreeChannelsIsReplicated() {
        gray8(root.resolve("g.png"), 3, 1, (x, y) -> x * 100);
        float[] plane = {0f, 100 / 255f, 200 / 255f};
        Sample s = only(RGB);
        assertEquals(PatchShape.of(3, 1, 3), s.shape());
        assertArrayEquals(new float[]{plane[0], plane[1], plane[2], plane[0], plane[1], plane[2],
                plane[0], plane[1], plane[2]}, s.data());
    }

    @Test
    void paletteImagesGoThroughTheirColourTable() throws Exception {
        BufferedImage indexed = new BufferedImage(2, 1, BufferedImage.TYPE_BYTE_INDEXED);
        indexed.setRGB(0, 0, RED);
        indexed.setRGB(1, 0, WHITE);
        ImageIO.write(indexed, "png", root.resolve("palette.png").toFile());
        assertArrayEquals(new float[]{1, 1, 0, 1, 0, 1}, only(RGB).data());
    }

    @Test
    void grayJpegDecodesCloseToItsValue() {
        gray8(root.resolve("flat.jpg"), 16, 16, (x, y) -> 128);
        Sample s = only(GRAY);
        assertEquals(PatchShape.of(1, 16, 16), s.shape());
        for (float v : s.data()) {
            assertEquals(128 / 255f, v, 2 / 255f);
        }
    }
}
