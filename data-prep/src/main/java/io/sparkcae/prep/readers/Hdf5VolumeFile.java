package io.sparkcae.prep.readers;

import io.jhdf.HdfFile;
import io.jhdf.api.Dataset;
import io.jhdf.api.Group;
import io.jhdf.api.Node;
import io.jhdf.api.dataset.ChunkedDataset;
import io.jhdf.object.datatype.DataType;
import io.jhdf.object.datatype.FixedPoint;
import io.jhdf.object.datatype.FloatingPoint;
import io.jhdf.object.datatype.OrderedDataType;
import io.sparkcae.core.error.SparkCaeException;

import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.nio.ByteOrder;
import java.nio.file.Paths;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * One numeric dataset of an HDF5 file, read with jhdf (pure Java, so executors need no native HDF5). A 5-D
 * dataset is read one time step at a time: contiguous (and compact) datasets through jhdf's slice read,
 * which fetches only the rows of that step; chunked ones chunk by chunk through {@link Hdf5ChunkedSteps},
 * which decompresses only the chunks the steps overlap.
 *
 * @param datasetPath the absolute path of the dataset inside the file, e.g. "/fields/u"
 * @param type        its element type
 * @param bigEndian   its byte order, which the chunked path decodes itself
 */
record Hdf5VolumeFile(String path, String datasetPath, ElementType type, boolean bigEndian, VolumeLayout layout)
        implements VolumeFile {

    /**
     * Finds and checks the dataset.
     *
     * @param requested the dataset's path in the file, or "" for the file's only dataset
     */
    static Hdf5VolumeFile open(InputFile file, String requested) {
        try (HdfFile hdf = openHdf(file)) {
            Dataset dataset = find(file.display(), hdf, requested == null ? "" : requested.strip());
            ElementType type = elementType(file.display(), dataset);
            boolean big = ((OrderedDataType) dataset.getDataType()).getByteOrder() == ByteOrder.BIG_ENDIAN;
            long[] shape = Arrays.stream(dataset.getDimensions()).asLongStream().toArray();
            return new Hdf5VolumeFile(file.display(), dataset.getPath(), type, big, VolumeLayout.of(file.display()
                    + ": dataset " + dataset.getPath(), shape));
        } catch (SparkCaeException e) {
            throw e;
        } catch (RuntimeException e) {
            // jhdf reports malformed files with its own runtime exceptions; for the user that is bad data.
            throw SparkCaeException.badData(file.display() + ": cannot read as HDF5 (" + e.getMessage() + ")", e);
        }
    }

    @Override
    public List<float[]> readSteps(StorageConf storage, long first, int count) {
        InputFile file = InputFile.of(path, storage);
        try (HdfFile hdf = openHdf(file)) {
            Dataset dataset = hdf.getDatasetByPath(datasetPath);
            if (dataset instanceof ChunkedDataset chunked) {
                ByteOrder order = bigEndian ? ByteOrder.BIG_ENDIAN : ByteOrder.LITTLE_ENDIAN;
                return new Hdf5ChunkedSteps(chunked, type, order, layout.timeAxis()).read(first, count);
            }
            List<float[]> steps = new ArrayList<>(count);
            for (int i = 0; i < count; i++) {
                steps.add(readStep(dataset, first + i));
            }
            return steps;
        } catch (SparkCaeException e) {
            throw e;
        } catch (RuntimeException e) {
            throw SparkCaeException.badData(path + ": cannot read HDF5 dataset " + datasetPath + " ("
                    + e.getMessage() + ")", e);
        }
    }

    /** One step: a (1, c, z, y, x) slice of a 5-D dataset, or the whole of a 3-D/4-D one. */
    private float[] readStep(Dataset dataset, long step) {
        int[] dims = dataset.getDimensions();
        long[] offset = new long[dims.length];
        int[] shape = dims.clone();
        if (layout.timeAxis()) {
            offset[0] = step;
            shape[0] = 1;
        }
        float[] out = new float[layout.stepElements()];
        int filled = Hdf5ArrayFlattener.flatten(dataset.getData(offset, shape), out, 0);
        if (filled != out.length) {
            throw new IllegalStateException("slice held " + filled + " values, expected " + out.length);
        }
        return out;
    }

    /** Local files are opened in place; others are copied to a local temp file by jhdf, which needs seeks. */
    private static HdfFile openHdf(InputFile file) {
        URI uri = file.qualified().toUri();
        if ("file".equals(uri.getScheme())) {
            return new HdfFile(Paths.get(uri));
        }
        try (InputStream in = file.openRaw()) {
            return HdfFile.fromInputStream(in);
        } catch (IOException e) {
            throw file.unreadable(e);
        }
    }

    private static Dataset find(String display, HdfFile hdf, String requested) {
        List<String> all = new ArrayList<>();
        collectDatasets(hdf, all);
        if (requested.isEmpty()) {
            if (all.size() == 1) {
                return hdf.getDatasetByPath(all.get(0));
            }
            throw SparkCaeException.badData(display + ": " + (all.isEmpty() ? "holds no HDF5 dataset"
                    : "holds several HDF5 datasets (" + String.join(", ", all) + "); name the one to read"));
        }
        String wanted = requested.startsWith("/") ? requested : "/" + requested;
        if (!all.contains(wanted)) {
            throw SparkCaeException.badData(display + ": no HDF5 dataset at '" + requested + "' (found: "
                    + (all.isEmpty() ? "none" : String.join(", ", all)) + ")");
        }
        return hdf.getDatasetByPath(wanted);
    }

    /** Every dataset below {@code group}, depth first in name order. Links are skipped: they may dangle. */
    private static void collectDatasets(Group group, List<String> out) {
        List<String> names = new ArrayList<>(group.getChildren().keySet());
        names.sort(null);
        for (String name : names) {
            Node node = group.getChild(name);
            if (node.isLink()) {
                continue;
            }
            if (node instanceof Dataset) {
                out.add(node.getPath().startsWith("/") ? node.getPath() : "/" + node.getPath());
            } else if (node instanceof Group child) {
                collectDatasets(child, out);
            }
        }
    }

    /**
     * Numeric types only. Half floats are refused: jhdf widens them, but the chunked path decodes bytes
     * itself and Java 17 has no half-float conversion.
     */
    private static ElementType elementType(String display, Dataset dataset) {
        DataType type = dataset.getDataType();
        ElementType element = null;
        if (type instanceof FloatingPoint) {
            element = ElementType.ofLabel("float" + type.getSize() * 8);
        } else if (type instanceof FixedPoint fixed) {
            element = ElementType.ofLabel((fixed.isSigned() ? "int" : "uint") + type.getSize() * 8);
        }
        if (element == null) {
            String name = type instanceof FloatingPoint ? "float" + type.getSize() * 8
                    : type.getClass().getSimpleName().replace("DataType", "").replace("Data", "").toLowerCase();
            throw SparkCaeException.badData(display + ": dataset " + dataset.getPath() + " has unsupported dtype "
                    + name + "; supported: float32, float64 and (u)int8/16/32/64");
        }
        return element;
    }
}
