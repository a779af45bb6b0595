package io.sparkcae.prep.readers;

import java.io.Serializable;
import java.util.Iterator;
import java.util.List;

/**
 * One input format. The driver calls {@link #plan} (headers only) and Spark tasks call {@link #read} on
 * their unit, so no task holds more than its unit in memory. Errors are thrown as
 * {@link io.sparkcae.core.error.SparkCaeException} with exit code BAD_DATA and a message naming the file.
 */
public interface SampleReader extends Serializable {

    /** Splits the input into units of at most {@code maxRecordsPerUnit} samples each. */
    List<ReadUnit> plan(int maxRecordsPerUnit);

    /** Reads the samples of one unit, in a stable order. */
    Iterator<Sample> read(ReadUnit unit);

    /** Total number of samples (from headers); used for progress and sanity checks. */
    long sampleCount();

    /** Input files this reader found but skipped on purpose (hidden names); counted in prep's metrics. */
    default long skippedFiles() {
        return 0;
    }
}
