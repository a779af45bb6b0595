package io.sparkcae.prep.readers;

import io.jhdf.HdfFile;
import io.jhdf.WritableHdfFile;
import io.jhdf.api.WritableGroup;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.Map;

/** Writes HDF5 fixtures with jhdf (contiguous datasets only) and copies the chunked one from resources. */
final class Hdf5FixtureWriter {

    private Hdf5FixtureWriter() {
    }

    /**
     * Writes each entry as a dataset; a key with a slash ("fields/u") goes into that group.
     * Values are nested Java arrays (float[][][][][], short[][][], ...).
     */
    static Path write(Path file, Map<String, Object> datasets) {
        try {
            Files.createDirectories(file.getParent());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        try (WritableHdfFile hdf = HdfFile.write(file)) {
            java.util.Map<String, WritableGroup> groups = new java.util.HashMap<>();
            for (Map.Entry<String, Object> e : datasets.entrySet()) {
                String name = e.getKey();
                int slash = name.lastIndexOf('/');
                if (slash < 0) {
                    hdf.putDataset(name, e.getValue());
                } else {
                    String group = name.substring(0, slash);
                    groups.computeIfAbsent(group, hdf::putGroup).putDataset(name.substring(slash + 1), e.getValue());
                }
            }
        }
        return file;
    }

    /** A (t, c, z, y, x) float array of {@link NpyFixtureWriter#value} in C order, scaled. */
    static float[][][][][] series(int t, int c, int z, int y, int x, double scale) {
        float[][][][][] a = new float[t][c][z][y][x];
        int i = 0;
        for (float[][][][] s : a) {
            for (float[][][] ch : s) {
                for (float[][] plane : ch) {
                    for (float[] row : plane) {
                        for (int k = 0; k < row.length; k++) {
                            row[k] = (float) (NpyFixtureWriter.value(i++) * scale);
                        }
                    }
                }
            }
        }
        return a;
    }

    /** Step {@code t} of {@link #series} flattened, as a reader should return it. */
    static float[] step(float[][][][][] series, int t) {
        float[][][][] s = series[t];
        float[] out = new float[s.length * s[0].length * s[0][0].length * s[0][0][0].length];
        int i = 0;
        for (float[][][] ch : s) {
            for (float[][] plane : ch) {
                for (float[] row : plane) {
                    System.arraycopy(row, 0, out, i, row.length);
                    i += row.length;
                }
            }
        }
        return out;
    }

    /**
     * Copies the h5py-made fixture with chunked, compressed and partly unallocated datasets (see
     * volumes/make_chunked_h5.py) into {@code dir}.
     */
    static Path chunked(Path dir) {
        Path target = dir.resolve("chunked.h5");
        try (InputStream in = Hdf5FixtureWriter.class.getResourceAsStream("/volumes/chunked.h5")) {
            if (in == null) {
                throw new IllegalStateException("test resource volumes/chunked.h5 is missing");
            }
            Files.copy(in, target, StandardCopyOption.REPLACE_EXISTING);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return target;
    }

    /** The value make_chunked_h5.py stores at (t, c, z, y, x), before its per-dataset transform. */
    static int chunkedIndex(int t, int c, int z, int y, int x) {
        return (((t * 2 + c) * 8 + z) * 8 + y) * 8 + x;
    }
}
