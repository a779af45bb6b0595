package io.sparkcae.core.fastpath;

/**
 * Turns on DL4J's oneDNN layer helpers. The JVM flags in {@code conf/jvm.properties} already set these
 * properties for every launcher and the tests; this repeats them for embedders who start a JVM without
 * those flags. It only helps if called before ND4J's first use, since ND4J reads them at class init.
 */
public final class NativeFastPath {
    /** DL4J keeps its helpers off unless this is "false". */
    public static final String HELPERS_DISABLE = "org.eclipse.deeplearning4j.helpers.disable";
    /** Makes JavaCPP load the oneDNN build of the ND4J natives (classifier linux-x86_64-onednn). */
    public static final String PLATFORM_EXTENSION = "org.bytedeco.javacpp.platform.extension";

    private NativeFastPath() {
    }

    public static void configure() {
        if (System.getProperty(HELPERS_DISABLE) == null) {
            System.setProperty(HELPERS_DISABLE, "false");
        }
        if (System.getProperty(PLATFORM_EXTENSION) == null) {
            System.setProperty(PLATFORM_EXTENSION, "-onednn");
        }
    }
}
