package io.sparkcae.jobs.common;

import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * What a stage commit records: the version it made, the attempt directory that holds the output and the
 * fingerprint of the inputs and config that made it. Stored as {@code key=value} lines so that shell tools
 * and other languages read it without a JSON parser ({@code grep '^attempt=' run/train/_SUCCESS}).
 */
public record CommitMarker(long version, String attempt, String fingerprint) {
    private static final String VERSION = "version";
    private static final String ATTEMPT = "attempt";
    private static final String FINGERPRINT = "fingerprint";

    public byte[] toBytes() {
        return (VERSION + "=" + version + "\n" + ATTEMPT + "=" + attempt + "\n" + FINGERPRINT + "=" + fingerprint + "\n")
                .getBytes(StandardCharsets.UTF_8);
    }

    /** The marker in {@code bytes}, or null when they are not one (an empty or foreign file). */
    public static CommitMarker parse(byte[] bytes) {
        Map<String, String> kv = new LinkedHashMap<>();
        for (String line : new String(bytes, StandardCharsets.UTF_8).split("\n")) {
            int eq = line.indexOf('=');
            if (eq > 0) {
                kv.put(line.substring(0, eq).trim(), line.substring(eq + 1).trim());
            }
        }
        if (!kv.containsKey(VERSION) || !kv.containsKey(ATTEMPT) || !kv.containsKey(FINGERPRINT)) {
            return null;
        }
        try {
            return new CommitMarker(Long.parseLong(kv.get(VERSION)), kv.get(ATTEMPT), kv.get(FINGERPRINT));
        } catch (NumberFormatException e) {
            return null;
        }
    }
}
