package io.sparkcae.prep.readers;

import io.sparkcae.core.error.ExitCode;
import io.sparkcae.core.error.SparkCaeException;
import io.sparkcae.core.tensor.PatchShape;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.util.List;

import static io.sparkcae.prep.readers.ImageFileWriter.gray8;
import static io.sparkcae.prep.readers.SampleAssertions.assertFails;
import static io.sparkcae.prep.readers.SampleAssertions.readAll;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

/** What resize-policy does to images that are not the target size. */
class ImageFolderResizePolicyTest {

    @TempDir
    Path root;

    private List<Sample> read(ResizePolicy policy, int width, int height) {
        return readAll(new ImageFolderSampleReader(root.toString(), new ImageOptions(policy, width, height, 1)), 10);
    }

    @Test
    void resizeInterpolatesBilinearlyBetweenPixelCentres() {
        gray8(root.resolve("step.png"), 2, 1, (x, y) -> x * 255);
        Sample s = read(ResizePolicy.RESIZE, 4, 1).get(0);
        assertEquals(PatchShape.of(1, 1, 4), s.shape());
        // target centres map to source x = -0.25 (clamped), 0.25, 0.75, 1.25 (clamped)
        assertArrayEquals(new float[]{0f, 0.25f, 0.75f, 1f}, s.data(), 1e-6f);
    }

    @Test
    void resizeShrinksByAveragingNeighbours() {
        gray8(root.resolve("checker.png"), 4, 4, (x, y) -> (x + y) % 2 == 0 ? 0 : 200);
        Sample s = read(ResizePolicy.RESIZE, 2, 2).get(0);
        // each target centre falls midway between four source pixels, two of each value
        assertArrayEquals(new float[]{100 / 255f, 100 / 255f, 100 / 255f, 100 / 255f}, s.data(), 1e-6f);
    }

    @Test
    void resizeToTheFirstImageSizeLeavesThatImageUntouched() {
        gray8(root.resolve("a.png"), 3, 2, (x, y) -> 10 * x + 50 * y);
        gray8(root.resolve("b.png"), 6, 4, (x, y) -> 77);
        List<Sample> samples = read(ResizePolicy.RESIZE, 0, 0);
        assertEquals(PatchShape.of(1, 2, 3), samples.get(0).shape());
        assertEquals(PatchShape.of(1, 2, 3), samples.get(1).shape());
        assertArrayEquals(new float[]{0, 10 / 255f, 20 / 255f, 50 / 255f, 60 / 255f, 70 / 255f},
                samples.get(0).data());
        for (float v : samples.get(1).data()) {
            assertEquals(77 / 255f, v, 1e-6f);
        }
    }

    @Test
    void centerCropKeepsTheMiddleWindow() {
        gray8(root.resolve("big.png"), 5, 4, (x, y) -> y * 10 + x);
        Sample s = read(ResizePolicy.CENTER_CROP, 2, 2).get(0);
        assertEquals(PatchShape.of(1, 2, 2), s.shape());
        // left = (5-2)/2 = 1, top = (4-2)/2 = 1
        assertArrayEquals(new float[]{11 / 255f, 12 / 255f, 21 / 255f, 22 / 255f}, s.data());
    }

    @Test
    void centerCropOfASmallerImageIsBadDataNamingTheFile() {
        gray8(root.resolve("a.png"), 8, 8, (x, y) -> 0);
        gray8(root.resolve("small.png"), 4, 8, (x, y) -> 0);
        SparkCaeException e = assertFails(ExitCode.BAD_DATA, root.resolve("small.png").toString(),
                () -> read(ResizePolicy.CENTER_CROP, 6, 6));
        assertEquals(root.resolve("small.png") + ": image is 4x8, smaller than the 6x6 crop; set "
                + "data.image.resize-policy to resize or lower data.image.width/height", e.getMessage());
    }

    @Test
    void everySampleGetsTheConfiguredShape() {
        gray8(root.resolve("x/a.png"), 10, 12, (x, y) -> x);
        gray8(root.resolve("y/b.png"), 7, 7, (x, y) -> y);
        List<Sample> resized = read(ResizePolicy.RESIZE, 5, 6);
        assertEquals(2, resized.size());
        resized.forEach(s -> assertEquals(PatchShape.of(1, 6, 5), s.shape(), s.source()));
        List<Sample> cropped = read(ResizePolicy.CENTER_CROP, 5, 6);
        assertEquals(List.of(0, 1), cropped.stream().map(Sample::label).toList());
        cropped.forEach(s -> assertEquals(PatchShape.of(1, 6, 5), s.shape()));
    }
}
