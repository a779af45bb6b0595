package io.sparkcae.prep.readers;

import io.sparkcae.core.error.SparkCaeException;

import java.io.IOException;
import java.util.Arrays;
import java.util.List;

/** A headerless .raw volume described by its JSON sidecar, as a {@link VolumeFile}. */
record RawVolumeFile(String path, VolumeLayout layout, DenseVolumeArray array) implements VolumeFile {

    /**
     * Reads the sidecar and checks the file against it. The size must match exactly: a raw file has no
     * header to catch a wrong dtype or shape, and the size is the one check that can.
     */
    static RawVolumeFile open(InputFile file) {
        String sidecarPath = RawSidecar.pathFor(file.display());
        RawSidecar sidecar = RawSidecar.read(file.sibling(sidecarPath, sidecarPath), file.display());
        long expected = sidecar.dataBytes();
        long actual = file.storedLength();
        if (actual != expected) {
            throw SparkCaeException.badData(file.display() + ": size " + actual + " bytes does not match "
                    + sidecar.display() + ": shape " + Arrays.toString(sidecar.shape()) + " of "
                    + sidecar.type().label() + " needs " + expected + " bytes");
        }
        VolumeLayout layout = VolumeLayout.of(file.display(), sidecar.logicalShape());
        DenseVolumeArray array = new DenseVolumeArray(sidecar.type(), sidecar.bigEndian(), 0, layout.axisSizes(),
                sidecar.fileOrder());
        return new RawVolumeFile(file.display(), layout, array);
    }

    @Override
    public List<float[]> readSteps(StorageConf storage, long first, int count) {
        InputFile file = InputFile.of(path, storage);
        try (FileWindow window = FileWindow.open(file, array.byteOrder())) {
            return array.readSteps(window, first, count);
        } catch (IOException e) {
            throw file.unreadable(e);
        }
    }
}
