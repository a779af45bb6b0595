package io.sparkcae.prep.reassembly;

import io.sparkcae.core.tensor.PatchShape;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import javax.imageio.ImageIO;
import javax.imageio.ImageReader;
import javax.imageio.stream.ImageInputStream;
import java.awt.image.BufferedImage;
import java.awt.image.DataBuffer;
import java.awt.image.Raster;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** NPY, PNG and TIFF files written and read back. */
class ArrayWritersTest {
    @TempDir
    Path dir;

    private static float[] ramp(int n, float scale) {
        float[] v = new float[n];
        for (int i = 0; i < n; i++) {
            v[i] = i * scale - 3.25f;
        }
        return v;
    }

    /** Parses the file as numpy would: magic, version 1.0, header dict, little-endian float32 data. */
    static float[] readNpy(Path file, String expectedShape) throws IOException {
        ByteBuffer b = ByteBuffer.wrap(Files.readAllBytes(file)).order(ByteOrder.LITTLE_ENDIAN);
        byte[] magic = new byte[6];
        b.get(magic);
        assertArrayEquals(NpyWriter.MAGIC, magic);
        assertEquals(1, b.get());
        assertEquals(0, b.get());
        int headerLen = Short.toUnsignedInt(b.getShort());
        assertEquals(0, (10 + headerLen) % 64, "data must start 64-byte aligned");
        byte[] header = new byte[headerLen];
        b.get(header);
        String h = new String(header, StandardCharsets.US_ASCII);
        assertTrue(h.endsWith("\n"));
        assertTrue(h.startsWith("{'descr': '<f4', 'fortran_order': False, 'shape': " + expectedShape + ", }"), h);
        float[] out = new float[b.remaining() / 4];
        b.asFloatBuffer().get(out);
        return out;
    }

    @Test
    void npyRoundTrip2dAnd3d() throws IOException {
        float[] image = ramp(2 * 3 * 4, 0.5f);
        image[5] = Float.NaN;
        NpyWriter.write(dir.resolve("a.npy"), PatchShape.of(2, 3, 4), image);
        assertArrayEquals(image, readNpy(dir.resolve("a.npy"), "(2, 3, 4)"));

        float[] volume = ramp(1 * 5 * 6 * 7, 0.25f);
        NpyWriter.write(dir.resolve("sub/v.npy"), PatchShape.of(1, 5, 6, 7), volume);
        assertArrayEquals(volume, readNpy(dir.resolve("sub/v.npy"), "(1, 5, 6, 7)"));
        assertThrows(IllegalArgumentException.class, () -> NpyWriter.write(dir.resolve("x.npy"), PatchShape.of(1, 2, 2), new float[3]));
    }

    @Test
    void png8BitGrayClampsAndDrawsNaNBlack() throws IOException {
        float[] v = {0f, 0.5f, 1f, 1.5f, -1f, Float.NaN};
        Path f = dir.resolve("g.png");
        PngWriter.write(f, PatchShape.of(1, 2, 3), v);
        Raster r = ImageIO.read(f.toFile()).getRaster();
        assertEquals(3, r.getWidth());
        assertEquals(2, r.getHeight());
        assertArrayEquals(new int[]{0, 128, 255, 255, 0, 0}, r.getSamples(0, 0, 3, 2, 0, (int[]) null));
    }

    @Test
    void png8BitRgbKeepsChannelOrder() throws IOException {
        // channel planes: R = 1 everywhere, G = 0.2, B = 0 (C-order 3 x 1 x 2)
        float[] v = {1f, 1f, 0.2f, 0.2f, 0f, 0f};
        Path f = dir.resolve("rgb.png");
        PngWriter.write(f, PatchShape.of(3, 1, 2), v);
        BufferedImage img = ImageIO.read(f.toFile());
        assertEquals(0xFF3300, img.getRGB(1, 0) & 0xFFFFFF); // 0.2 · 255 = 51 = 0x33
    }

    @Test
    void png16BitGrayRoundTripsEveryLevelExactly() throws IOException {
        float[] v = new float[4 * 5];
        for (int i = 0; i < v.length; i++) {
            v[i] = (i * 3277) / 65535f;
        }
        Path f = dir.resolve("g16.png");
        PngWriter.writeGray16(f, PatchShape.of(1, 4, 5), v);
        Raster r = ImageIO.read(f.toFile()).getRaster();
        assertEquals(DataBuffer.TYPE_USHORT, r.getDataBuffer().getDataType());
        for (int i = 0; i < v.length; i++) {
            assertEquals(i * 3277, r.getSample(i % 5, i / 5, 0));
        }
    }

    @Test
    void tiff16BitRoundTrip() throws IOException {
        float[] v = {0f, 1f / 65535, 0.25f, 1f, 2f, Float.NaN};
        Path f = dir.resolve("g16.tif");
        TiffWriter.writeGray16(f, PatchShape.of(1, 2, 3), v);
        Raster r = ImageIO.read(f.toFile()).getRaster();
        assertEquals(DataBuffer.TYPE_USHORT, r.getDataBuffer().getDataType());
        assertArrayEquals(new int[]{0, 1, 16384, 65535, 65535, 0}, r.getSamples(0, 0, 3, 2, 0, (int[]) null));
    }

    static List<ImageReader> tiffReaders() {
        List<ImageReader> out = new ArrayList<>();
        for (Iterator<ImageReader> it = ImageIO.getImageReadersByFormatName("tiff"); it.hasNext(); ) {
            out.add(it.next());
        }
        return out;
    }

    static float[] readFloats(ImageReader reader, Path f) throws IOException {
        try (ImageInputStream in = ImageIO.createImageInputStream(f.toFile())) {
            reader.setInput(in);
            Raster r = reader.read(0).getRaster();
            assertEquals(DataBuffer.TYPE_FLOAT, r.getDataBuffer().getDataType(), reader.getClass().getName());
            return r.getSamples(0, 0, r.getWidth(), r.getHeight(), 0, (float[]) null);
        } finally {
            reader.dispose();
        }
    }

    @Test
    void tiffFloat32RoundTripsInRangeValuesWithEveryReader() throws IOException {
        float[] v = {0f, 1e-7f, 0.1f, 0.3333333f, 0.75f, 1f};
        Path f = dir.resolve("f.tif");
        TiffWriter.writeFloat32(f, PatchShape.of(1, 2, 3), v);
        List<ImageReader> readers = tiffReaders();
        assertFalse(readers.isEmpty());
        for (ImageReader reader : readers) {
            assertArrayEquals(v, readFloats(reader, f), reader.getClass().getName());
        }
    }

    @Test
    void tiffFloat32KeepsAnyValueForTheJdkReader() throws IOException {
        float[] v = {-3.5f, 1234.5f, Float.NaN, 0.5f};
        Path f = dir.resolve("wide.tif");
        TiffWriter.writeFloat32(f, PatchShape.of(1, 2, 2), v);
        ImageReader jdk = tiffReaders().stream()
                .filter(r -> r.getClass().getName().startsWith("com.sun.imageio.plugins.tiff"))
                .findFirst().orElseThrow();
        assertArrayEquals(v, readFloats(jdk, f));
    }

    @Test
    void imagesRefuseVolumesAndWrongChannelCounts() {
        Path f = dir.resolve("x");
        assertThrows(IllegalArgumentException.class, () -> PngWriter.write(f, PatchShape.of(1, 2, 2, 2), new float[8]));
        assertThrows(IllegalArgumentException.class, () -> PngWriter.write(f, PatchShape.of(2, 2, 2), new float[8]));
        assertThrows(IllegalArgumentException.class, () -> PngWriter.writeGray16(f, PatchShape.of(3, 2, 2), new float[12]));
        assertThrows(IllegalArgumentException.class, () -> TiffWriter.writeFloat32(f, PatchShape.of(3, 2, 2), new float[12]));
        assertThrows(IllegalArgumentException.class, () -> TiffWriter.writeGray16(f, PatchShape.of(1, 2, 2, 2), new float[8]));
        assertFalse(Files.exists(f));
    }
}
