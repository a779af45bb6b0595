package io.sparkcae.prep.reassembly;

import java.io.Closeable;
import java.io.IOException;

/**
 * Receives a blended sample one finished slice at a time (a row of a 2D image, a plane of a volume: one index
 * of the first spatial axis), in order, and turns it into a file without holding the whole sample.
 */
public interface SliceSink extends Closeable {
    /**
     * @param index  position along the first spatial axis, 0, 1, 2, ... in order
     * @param values C x (remaining spatial dims) values, channel-major; NaN where no patch reached. The array is
     *               reused once this returns.
     */
    void slice(int index, float[] values) throws IOException;

    /** Completes the file once every slice was given. */
    void finish() throws IOException;

    /** Releases the file handles; after a failure the file is incomplete and the caller deletes it. */
    @Override
    void close() throws IOException;
}
