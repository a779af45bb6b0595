package io.sparkcae.prep.readers;

import java.io.Serializable;
import java.util.List;

/**
 * A slice of the input that one Spark task reads on its own: a record range of one file, or a group of
 * small files. Planned on the driver from headers only, so planning never reads the payload.
 *
 * @param paths      files the unit reads (absolute, or Hadoop URIs)
 * @param labelsPath optional companion label file (IDX), else null
 * @param start      first record (inclusive) for record-oriented formats, 0 otherwise
 * @param count      number of records for record-oriented formats, or paths.size()
 */
public record ReadUnit(List<String> paths, String labelsPath, long start, long count) implements Serializable {
}
