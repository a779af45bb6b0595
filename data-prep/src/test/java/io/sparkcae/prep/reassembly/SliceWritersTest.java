package io.sparkcae.prep.reassembly;

import io.sparkcae.core.report.ResidualMapImage;
import io.sparkcae.core.tensor.PatchShape;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import javax.imageio.ImageIO;
import javax.imageio.ImageReader;
import java.awt.image.BufferedImage;
import java.awt.image.Raster;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Random;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;

/** The streaming writers give the files the whole-array writers give, read back by the usual readers. */
class SliceWritersTest {
    @TempDir
    Path dir;

    /** Feeds a C-order array to a sink slice by slice, as {@link BandBlender} does. */
    private static void stream(SliceSink sink, PatchShape shape, float[] values) throws IOException {
        int c = shape.channels();
        int slices = shape.spatial(0);
        int len = shape.elementCount() / c / slices;
        float[] slice = new float[c * len];
        try (sink) {
            for (int s = 0; s < slices; s++) {
                for (int ch = 0; ch < c; ch++) {
                    System.arraycopy(values, (ch * slices + s) * len, slice, ch * len, len);
                }
                sink.slice(s, slice);
            }
            sink.finish();
        }
    }

    private static float[] unit(int n, long seed) {
        Random r = new Random(seed);
        float[] v = new float[n];
        for (int i = 0; i < n; i++) {
            v[i] = r.nextFloat();
        }
        return v;
    }

    @Test
    void npyOfSeveralChannelsAndOfAVolumeIsTheArray() throws IOException {
        PatchShape image = PatchShape.of(3, 7, 5);
        float[] v = unit(image.elementCount(), 1);
        v[4] = Float.NaN;
        stream(new NpySliceWriter(dir.resolve("a.npy"), image), image, v);
        assertArrayEquals(v, ArrayWritersTest.readNpy(dir.resolve("a.npy"), "(3, 7, 5)"));

        PatchShape volume = PatchShape.of(2, 4, 3, 5);
        float[] w = unit(volume.elementCount(), 2);
        stream(new NpySliceWriter(dir.resolve("v.npy"), volume), volume, w);
        assertArrayEquals(w, ArrayWritersTest.readNpy(dir.resolve("v.npy"), "(2, 4, 3, 5)"));
    }

    @Test
    void tiffStripsReadBackExactlyWithEveryReader() throws IOException {
        for (PatchShape shape : List.of(PatchShape.of(1, 2, 3), PatchShape.of(1, 700, 50))) { // 1 strip; 3 strips
            float[] v = unit(shape.elementCount(), shape.spatial(0));
            Path f = dir.resolve("f" + shape.spatial(0) + ".tif");
            stream(new TiffStripWriter(f, shape), shape, v);
            List<ImageReader> readers = ArrayWritersTest.tiffReaders();
            assertFalse(readers.isEmpty());
            for (ImageReader reader : readers) {
                assertArrayEquals(v, ArrayWritersTest.readFloats(reader, f), shape + " " + reader.getClass().getName());
            }
        }
    }

    @Test
    void tiffKeepsAnyValueForTheJdkReader() throws IOException {
        float[] v = {-3.5f, 1234.5f, Float.NaN, 0.5f, Float.POSITIVE_INFINITY, 0f};
        Path f = dir.resolve("wide.tif");
        stream(new TiffStripWriter(f, PatchShape.of(1, 3, 2)), PatchShape.of(1, 3, 2), v);
        ImageReader jdk = ArrayWritersTest.tiffReaders().stream()
                .filter(r -> r.getClass().getName().startsWith("com.sun.imageio.plugins.tiff"))
                .findFirst().orElseThrow();
        assertArrayEquals(v, ArrayWritersTest.readFloats(jdk, f));
        assertThrows(IllegalArgumentException.class, () -> new TiffStripWriter(dir.resolve("x.tif"), PatchShape.of(3, 2, 2)));
    }

    @Test
    void pngRowsGiveThePixelsOfTheWholeImageWriter() throws IOException {
        for (PatchShape shape : List.of(PatchShape.of(1, 37, 41), PatchShape.of(3, 257, 300))) {
            float[] v = unit(shape.elementCount(), 3);
            for (int i = 0; i < v.length; i += 97) {
                v[i] = i % 2 == 0 ? Float.NaN : 1.7f; // black, clamped
            }
            v[1] = -0.5f;
            Path streamed = dir.resolve("s" + shape.channels() + ".png");
            Path whole = dir.resolve("w" + shape.channels() + ".png");
            stream(new PngSliceWriter(streamed, shape), shape, v);
            PngWriter.write(whole, shape, v);
            assertSamePixels(whole, streamed);
        }
    }

    @Test
    void heatMapRowsGiveThePixelsOfTheResidualMap() throws IOException {
        PatchShape shape = PatchShape.of(1, 33, 29);
        float[] v = unit(shape.elementCount(), 4);
        for (int i = 0; i < v.length; i++) {
            v[i] = (v[i] - 0.5f) * 3;
        }
        v[3] = Float.NaN;
        v[10] = Float.POSITIVE_INFINITY;
        Path streamed = dir.resolve("heat.png");
        stream(new HeatMapSliceWriter(streamed, shape), shape, v);
        float[] noNaN = v.clone();
        noNaN[3] = 0f;
        Path whole = dir.resolve("whole.png");
        ResidualMapImage.write(noNaN, 33, 29, whole, 1);
        assertSamePixels(whole, streamed);
        try (var left = Files.list(dir)) {
            assertEquals(0, left.filter(p -> p.toString().endsWith(".values")).count(), "scratch file removed");
        }
    }

    private static void assertSamePixels(Path expected, Path actual) throws IOException {
        BufferedImage a = ImageIO.read(expected.toFile());
        BufferedImage b = ImageIO.read(actual.toFile());
        assertEquals(a.getWidth(), b.getWidth());
        assertEquals(a.getHeight(), b.getHeight());
        Raster ra = a.getRaster();
        Raster rb = b.getRaster();
        assertEquals(ra.getNumBands(), rb.getNumBands());
        for (int band = 0; band < ra.getNumBands(); band++) {
            assertArrayEquals(ra.getSamples(0, 0, a.getWidth(), a.getHeight(), band, (int[]) null),
                    rb.getSamples(0, 0, b.getWidth(), b.getHeight(), band, (int[]) null), actual + " band " + band);
        }
    }
}
