package io.sparkcae.jobs.cli;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** A successful run returns from main only where YARN's application master would mark System.exit(0) FAILED. */
class YarnApplicationMasterExitTest {
    @AfterEach
    void clear() {
        System.clearProperty("spark.master");
        System.clearProperty("spark.submit.deployMode");
    }

    @Test
    void onlyYarnClusterModeCountsAsTheApplicationMaster() {
        assertFalse(SparkCaeCli.insideYarnApplicationMaster(), "no Spark properties: the launcher or a test");
        System.setProperty("spark.master", "yarn");
        System.setProperty("spark.submit.deployMode", "client");
        assertFalse(SparkCaeCli.insideYarnApplicationMaster(), "YARN client mode: spark-submit runs main itself");
        System.setProperty("spark.submit.deployMode", "cluster");
        assertTrue(SparkCaeCli.insideYarnApplicationMaster());
        System.setProperty("spark.master", "k8s://https://127.0.0.1:6443");
        assertFalse(SparkCaeCli.insideYarnApplicationMaster(), "Kubernetes reports the driver container's exit code");
    }
}
