package io.sparkcae.jobs.cli;

/**
 * Recognises ND4J failing to load its native backend, which otherwise surfaces as a bare
 * "Please ensure that you have an nd4j backend on your classpath" several causes deep, and says what
 * usually causes it: a CUDA build on a machine without the NVIDIA driver or CUDA/cuDNN libraries, or
 * natives for another platform.
 */
final class NativeBackendFailure {
    private NativeBackendFailure() {
    }

    /** A user-facing explanation, or null when the failure is something else. */
    static String describe(Throwable t) {
        boolean noBackend = false;
        String link = null;
        for (Throwable c = t; c != null; c = c.getCause() == c ? null : c.getCause()) {
            String name = c.getClass().getName();
            if (name.endsWith("Nd4jBackend$NoAvailableBackendException")) {
                noBackend = true;
            }
            if (c instanceof UnsatisfiedLinkError && link == null) {
                link = c.getMessage();
            }
        }
        if (!noBackend && link == null) {
            return null;
        }
        StringBuilder m = new StringBuilder("ND4J could not load its native backend");
        if (link != null) {
            m.append(": ").append(link);
        }
        boolean cudaBuild = NativeBackendFailure.class.getClassLoader()
                .getResource("org/nd4j/linalg/jcublas/JCublasBackend.class") != null;
        if (cudaBuild || (link != null && (link.contains("libcuda") || link.contains("cudart") || link.contains("cudnn")))) {
            m.append(". This is a CUDA build (mvn -Pcuda): it needs an NVIDIA driver (>= 450.80; >= 510.39 for"
                    + " all of CUDA 11.6) and the CUDA 11.6 + cuDNN 8.3 runtime libraries on every driver and executor; on CPU-only machines build"
                    + " without -Pcuda");
        } else {
            m.append(". Check that the ND4J natives match this platform (-Dnd4j.classifier / -Pcuda) and that"
                    + " -Dorg.bytedeco.javacpp.platform.extension matches them (conf/jvm.properties)");
        }
        return m.toString();
    }
}
