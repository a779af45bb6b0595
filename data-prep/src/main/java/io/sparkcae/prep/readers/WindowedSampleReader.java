package io.sparkcae.prep.readers;

import io.sparkcae.core.tensor.PatchShape;

/**
 * A reader that can read a spatial window of one sample without reading the rest (image regions through
 * ImageIO, hyperslabs of memory-mapped arrays). Prep uses it to split a sample larger than the per-task
 * byte budget into tile tasks; samples of other readers are always read whole.
 */
public interface WindowedSampleReader extends SampleReader {

    /** Shape (C, [D,] H, W) of the sample at {@code position} (0-based) within the unit, from headers. */
    PatchShape sampleShape(ReadUnit unit, int position);

    /**
     * Reads the window {@code offset .. offset + size} (spatial axes; all channels) of the sample at
     * {@code position} of the unit. The returned sample carries the same source, index and label as the
     * whole sample would, and the window's shape.
     */
    Sample readWindow(ReadUnit unit, int position, int[] offset, int[] size);
}
