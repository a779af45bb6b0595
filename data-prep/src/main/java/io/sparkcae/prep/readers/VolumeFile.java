package io.sparkcae.prep.readers;

import java.io.Serializable;
import java.util.List;

/**
 * One file of a volume series in some format: what its header says, and reading some of its steps. Holds
 * paths and header facts only, never an open handle, so it travels inside a serialized reader.
 */
interface VolumeFile extends Serializable {

    /** The file as the user named it (or as found in their folder), for messages and read units. */
    String path();

    VolumeLayout layout();

    /**
     * Steps {@code first .. first + count - 1} of this file, each a C-order (c, z, y, x) float[]. Opens and
     * closes the file within the call.
     *
     * @param storage the Hadoop configuration the file is opened with
     */
    List<float[]> readSteps(StorageConf storage, long first, int count);
}
