package io.sparkcae.jobs.prep;

import io.sparkcae.jobs.testing.StageDirs;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.sparkcae.jobs.testing.CliRun;
import io.sparkcae.jobs.testing.LocalSpark;
import io.sparkcae.jobs.testing.NpyFloats;
import org.apache.spark.sql.Row;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

import javax.imageio.ImageIO;
import java.awt.image.BufferedImage;
import java.awt.image.WritableRaster;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * A large 16-bit TIFF cut into overlapping patches gives the same patches whether each image is read whole
 * or in tile tasks under a small byte budget, and the patch values are the file's 16-bit values / 65535.
 */
@ExtendWith(LocalSpark.class)
@Timeout(value = 5, unit = TimeUnit.MINUTES)
class TiledPrepTest {
    @TempDir
    Path tmp;

    @Test
    void tiledAndWholeReadsGiveIdenticalPatches() throws Exception {
        Path dir = Files.createDirectories(tmp.resolve("tiff"));
        int h = 200;
        int w = 330;
        BufferedImage img = new BufferedImage(w, h, BufferedImage.TYPE_USHORT_GRAY);
        WritableRaster raster = img.getRaster();
        Random rnd = new Random(5);
        for (int y = 0; y < h; y++) {
            for (int x = 0; x < w; x++) {
                raster.setSample(x, y, 0, (x * 131 + y * 17 + rnd.nextInt(500)) & 0xffff);
            }
        }
        assertTrue(ImageIO.write(img, "tiff", dir.resolve("big.tif").toFile()), "TIFF writer available");

        Map<String, float[]> whole = prep(dir, "whole", 1 << 30);
        Map<String, float[]> tiled = prep(dir, "tiled", 60_000); // 264 KB image -> many tile tasks
        // windows: rows (200-32)/16+1 = 11, cols (330-32)/16+1 = 19 (drop policy)
        assertEquals(11 * 19, whole.size());
        assertEquals(whole.keySet(), tiled.keySet());
        for (String id : whole.keySet()) {
            assertArrayEquals(whole.get(id), tiled.get(id), id);
        }
        float[] p = whole.get("big.tif:0@16,48");
        assertNotNull(p);
        assertEquals(raster.getSample(48, 16, 0) / 65535f, p[0], 1e-7);
        assertEquals(raster.getSample(48 + 31, 16 + 31, 0) / 65535f, p[32 * 32 - 1], 1e-7);

        JsonNode manifest = new ObjectMapper().readTree(StageDirs.output(tmp.resolve("tiled"), "prep").resolve("patches/_manifest.json").toFile());
        assertEquals("[1,200,330]", manifest.get("sources").get(0).get("sampleShape").toString());
    }

    @Test
    void reassemblingTheTiledPatchesReproducesTheImage() throws Exception {
        Path dir = Files.createDirectories(tmp.resolve("tiff"));
        int h = 150;
        int w = 90;
        BufferedImage img = new BufferedImage(w, h, BufferedImage.TYPE_USHORT_GRAY);
        Random rnd = new Random(9);
        for (int y = 0; y < h; y++) {
            for (int x = 0; x < w; x++) {
                img.getRaster().setSample(x, y, 0, rnd.nextInt(65536));
            }
        }
        assertTrue(ImageIO.write(img, "tiff", dir.resolve("scan.tif").toFile()));
        // reflect padding: windows also cover the far edge, which a stride of 24 would otherwise miss
        prep(dir, "r", 20_000, "patch.edge=reflect-pad");
        CliRun r = CliRun.of("reassemble", "--run-dir", tmp.resolve("r").toString(), "--data", dir.toString(),
                "--set", "patch.size=[32,32]", "--set", "patch.stride=[24,24]", "--set", "patch.edge=reflect-pad",
                "--set", "data.val-fraction=0.2", "--set", "prep.max-task-bytes=20000");
        assertEquals(0, r.exitCode(), r.toString());
        float[] back = NpyFloats.read(StageDirs.output(tmp.resolve("r"), "reassemble").resolve("scan.tif_0.npy"), new int[]{1, h, w});
        for (int y = 0; y < h; y++) {
            for (int x = 0; x < w; x++) {
                assertEquals(img.getRaster().getSample(x, y, 0) / 65535f, back[y * w + x], 1e-6, "pixel " + y + "," + x);
            }
        }

        // score's residuals stitched back into a whole-image heat map
        String[] common = {"--run-dir", tmp.resolve("r").toString(), "--data", dir.toString(),
                "--set", "patch.size=[32,32]", "--set", "patch.stride=[24,24]", "--set", "patch.edge=reflect-pad",
                "--set", "data.val-fraction=0.2", "--set", "prep.max-task-bytes=20000", "--set", "train.epochs=1",
                "--set", "train.batch-size=8", "--set", "score.residual-maps=0"};
        assertEquals(0, CliRun.of(with("train", common)).exitCode());
        CliRun score = CliRun.of(with("score", common));
        assertEquals(0, score.exitCode(), score.toString());
        CliRun maps = CliRun.of(with("reassemble", with("--what", with("residuals", with("--format", with("png", common))))));
        assertEquals(0, maps.exitCode(), maps.toString());
        BufferedImage heat = ImageIO.read(StageDirs.output(tmp.resolve("r"), "residual-maps").resolve("scan.tif_0.png").toFile());
        assertEquals(w, heat.getWidth());
        assertEquals(h, heat.getHeight());
        long lit = 0;
        for (int y = 0; y < h; y++) {
            for (int x = 0; x < w; x++) {
                lit += (heat.getRGB(x, y) & 0xffffff) != 0 ? 1 : 0;
            }
        }
        assertTrue(lit > h * w / 2, "a random image is reconstructed with error almost everywhere: " + lit);
    }

    private static String[] with(String first, String... rest) {
        String[] a = new String[rest.length + 1];
        a[0] = first;
        System.arraycopy(rest, 0, a, 1, rest.length);
        return a;
    }

    private Map<String, float[]> prep(Path dir, String run, long budget, String... extra) {
        List<String> args = new java.util.ArrayList<>(List.of("prep", "--data", dir.toString(), "--run-dir",
                tmp.resolve(run).toString(), "--set", "patch.size=[32,32]", "--set",
                extra.length > 0 ? "patch.stride=[24,24]" : "patch.stride=[16,16]", "--set", "data.val-fraction=0.2",
                "--set", "prep.max-task-bytes=" + budget));
        for (String e : extra) {
            args.add("--set");
            args.add(e);
        }
        CliRun r = CliRun.of(args.toArray(String[]::new));
        assertEquals(0, r.exitCode(), r.toString());
        List<Row> rows = LocalSpark.get().read().parquet(StageDirs.output(tmp.resolve(run), "prep").resolve("patches").toString())
                .select("id", "data").collectAsList();
        Map<String, float[]> out = new HashMap<>();
        for (Row row : rows) {
            byte[] b = (byte[]) row.get(1);
            float[] f = new float[b.length / 4];
            java.nio.ByteBuffer.wrap(b).order(java.nio.ByteOrder.LITTLE_ENDIAN).asFloatBuffer().get(f);
            out.put(row.getString(0), f);
        }
        assertEquals(rows.size(), out.size(), "ids are unique");
        return out;
    }
}
