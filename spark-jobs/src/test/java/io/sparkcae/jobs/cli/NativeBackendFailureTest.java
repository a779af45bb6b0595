package io.sparkcae.jobs.cli;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.nd4j.linalg.factory.Nd4jBackend;

import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

@Timeout(30)
class NativeBackendFailureTest {
    @Test
    void aMissingCudaDriverIsExplainedAsSuch() {
        Throwable t = new ExceptionInInitializerError(new RuntimeException(
                new UnsatisfiedLinkError("/x/libjnicudart.so: libcuda.so.1: cannot open shared object file")));
        String m = NativeBackendFailure.describe(t);
        assertTrue(m != null && m.contains("libcuda.so.1") && m.contains("-Pcuda") && m.contains("NVIDIA driver"), m);
    }

    @Test
    void noBackendOnTheCpuBuildPointsAtThePlatformSettings() {
        String m = NativeBackendFailure.describe(new RuntimeException(
                new Nd4jBackend.NoAvailableBackendException("Please ensure that you have an nd4j backend")));
        assertTrue(m != null && m.contains("nd4j.classifier") && m.contains("platform.extension"), m);
    }

    @Test
    void otherFailuresAreNotMistakenForABackendProblem() {
        assertNull(NativeBackendFailure.describe(new IllegalStateException("boom")));
    }
}
