package io.sparkcae.prep.readers;

import io.sparkcae.core.tensor.PatchShape;

import java.io.Serializable;

/**
 * One decoded input sample (an image, or later a volume or time step) before patching: values in C-order
 * with the given shape. Images are scaled to [0,1] by the reader (8-bit /255, 16-bit /65535); volume fields
 * (NPY, HDF5, raw) keep their physical units, and normalisation happens later from the train statistics.
 *
 * @param source stable name of the file it came from (file name, not the absolute path, so ids survive a move)
 * @param index  position of the sample inside its source (record number for IDX, 0 for one-image files)
 * @param label  class label, or null when the input has none
 */
public record Sample(String source, long index, Integer label, PatchShape shape, float[] data) implements Serializable {
}
