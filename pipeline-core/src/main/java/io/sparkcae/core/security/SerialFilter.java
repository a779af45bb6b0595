package io.sparkcae.core.security;

import java.io.IOException;
import java.io.InputStream;
import java.io.ObjectInputFilter;
import java.util.Properties;

/**
 * The JVM-wide Java deserialization allowlist ({@code jdk.serialFilter}). Launchers set it on the command line
 * from {@code conf/jvm.properties}; a JVM started some other way (an IDE, a notebook, a library call) gets the
 * same filter from {@link #installIfAbsent()}, which every sparkcae entry point calls before Spark starts.
 * The pattern is read from the copy of {@code conf/jvm.properties} inside the jar, so there is one list.
 */
public final class SerialFilter {
    /** Where the build puts {@code conf/jvm.properties} inside the jar. */
    static final String RESOURCE = "jvm.properties";
    static final String OPTIONS_KEY = "sparkcae.jvm.options";
    private static final String FLAG = "-D" + "jdk.serialFilter=";

    private SerialFilter() {
    }

    /**
     * Installs the allowlist as the JVM-wide filter unless one is already set (by {@code -Djdk.serialFilter}
     * or by the application embedding sparkcae, whose choice wins).
     *
     * @return true when this call installed it
     */
    public static synchronized boolean installIfAbsent() {
        if (ObjectInputFilter.Config.getSerialFilter() != null) {
            return false;
        }
        try {
            ObjectInputFilter.Config.setSerialFilter(ObjectInputFilter.Config.createFilter(pattern()));
            return true;
        } catch (IllegalStateException raced) {
            return false; // set by someone else in between: theirs stands
        }
    }

    /** The filter pattern of {@code conf/jvm.properties}. */
    public static String pattern() {
        Properties p = new Properties();
        try (InputStream in = SerialFilter.class.getResourceAsStream(RESOURCE)) {
            if (in == null) {
                throw new IllegalStateException(RESOURCE + " is missing from the sparkcae jar");
            }
            p.load(in);
        } catch (IOException e) {
            throw new IllegalStateException("cannot read " + RESOURCE + " from the sparkcae jar", e);
        }
        for (String option : p.getProperty(OPTIONS_KEY, "").trim().split("\\s+")) {
            if (option.startsWith(FLAG)) {
                return option.substring(FLAG.length());
            }
        }
        throw new IllegalStateException(RESOURCE + ": " + OPTIONS_KEY + " has no " + FLAG + "... entry");
    }
}
