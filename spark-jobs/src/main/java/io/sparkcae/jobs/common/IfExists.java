package io.sparkcae.jobs.common;

/** What a stage does when its output directory already holds a committed run. */
public enum IfExists {
    /** Refuse, naming the directory (the default: never clobber a result silently). */
    FAIL,
    /** Replace it; the old output stays readable until the new one is renamed into place. */
    OVERWRITE,
    /** Do nothing when the existing output was made from the same inputs and config; refuse otherwise. */
    SKIP
}
