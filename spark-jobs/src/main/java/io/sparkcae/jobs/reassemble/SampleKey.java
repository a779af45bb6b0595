package io.sparkcae.jobs.reassemble;

/**
 * Identifies one sample of a source from a patch id ({@code <source>:<index>[@<origin>]}): the key groups
 * a sample's patches and names its output file.
 */
final class SampleKey {
    private static final char SEP = '\u0000';

    private SampleKey() {
    }

    static String of(String source, String patchId) {
        int at = patchId.lastIndexOf('@');
        String sampleId = at < 0 ? patchId : patchId.substring(0, at);
        String index = sampleId.substring(sampleId.lastIndexOf(':') + 1);
        return source + SEP + index;
    }

    static String source(String key) {
        return key.substring(0, key.indexOf(SEP));
    }

    /** A flat file name: path separators and other awkward characters become '_'. */
    static String fileName(String key) {
        String source = source(key).replaceAll("[^A-Za-z0-9._-]", "_");
        return source + "_" + key.substring(key.indexOf(SEP) + 1);
    }
}
