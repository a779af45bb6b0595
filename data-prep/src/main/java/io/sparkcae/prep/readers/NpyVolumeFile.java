package io.sparkcae.prep.readers;

import java.io.IOException;
import java.util.List;

/** A .npy file as a {@link VolumeFile}: the header on open, memory-mapped step reads after. */
record NpyVolumeFile(String path, VolumeLayout layout, DenseVolumeArray array)
        implements VolumeFile {

    /** Reads and checks the header: supported dtype, 3 to 5 axes, all data present. */
    static NpyVolumeFile open(InputFile file) {
        NpyHeader header = NpyHeader.read(file);
        VolumeLayout layout = VolumeLayout.of(file.display(), header.shape());
        DenseVolumeArray array = new DenseVolumeArray(header.type(), header.bigEndian(), header.dataOffset(),
                layout.axisSizes(), header.fortranOrder() ? DenseVolumeArray.FORTRAN_ORDER : DenseVolumeArray.C_ORDER);
        return new NpyVolumeFile(file.display(), layout, array);
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
