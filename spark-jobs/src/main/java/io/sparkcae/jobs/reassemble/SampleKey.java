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

    /**
     * A flat file name: path separators and other awkward characters become '_'. Where that changed the name, a
     * short hash of the original follows, so two sources that sanitise alike (two non-ASCII names, "a b" and
     * "a_b") never overwrite each other's file; names that need no change keep their plain form.
     */
    static String fileName(String key) {
        String original = source(key);
        String source = original.replaceAll("[^A-Za-z0-9._-]", "_");
        if (!source.equals(original)) {
            source += "-" + io.sparkcae.jobs.common.Fingerprint.of(original).substring(0, 8);
        }
        return source + "_" + key.substring(key.indexOf(SEP) + 1);
    }
}
