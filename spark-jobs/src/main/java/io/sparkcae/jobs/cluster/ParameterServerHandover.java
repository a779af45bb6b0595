package io.sparkcae.jobs.cluster;

import org.deeplearning4j.spark.parameterserver.training.SharedTrainingMaster;
import org.nd4j.parameterserver.distributed.v2.ModelParameterServer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.lang.reflect.Field;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Hands this JVM's gradient-sharing parameter server from one training master to the next without DL4J's
 * pause. A SharedTrainingMaster that finds another master's server running shuts it down and then sleeps
 * 3 s before launching its own (SharedTrainingMaster.prepareNetworkAndStuff, DL4J 1.0.0-M2); sparkcae starts
 * a master per epoch, so every epoch after the first paid those 3 s on the driver (bench train --mode sharing:
 * 3.8 s outside the steps of a 120-batch pass). The shutdown itself is synchronous: it closes the transport
 * (Aeron publications, subscription, client and media driver) before it returns, and a second call does
 * nothing. So sparkcae shuts the server down itself before the next master's fit and clears DL4J's record of
 * the last master, which is what sends DL4J into its shutdown-and-sleep branch; the new master then configures
 * and launches its server at once, as the first master of a JVM does.
 */
public final class ParameterServerHandover {
    private static final Logger LOG = LoggerFactory.getLogger(ParameterServerHandover.class);

    private ParameterServerHandover() {
    }

    /** Before a new master's fit: the previous master's server down, DL4J's record of it cleared. */
    public static void retirePrevious() {
        ModelParameterServer server = ModelParameterServer.getInstance();
        if (!server.isInitialized()) {
            return; // the JVM's first master, or the server is already down
        }
        AtomicInteger lastInstance = lastTrainingInstance();
        if (lastInstance == null) {
            return; // DL4J keeps its own shutdown and pause
        }
        server.shutdown();
        lastInstance.set(-1);
    }

    private static AtomicInteger lastTrainingInstance() {
        try {
            Field f = SharedTrainingMaster.class.getDeclaredField("LAST_TRAINING_INSTANCE");
            f.setAccessible(true);
            return (AtomicInteger) f.get(null);
        } catch (ReflectiveOperationException | RuntimeException e) {
            LOG.warn("DL4J's SharedTrainingMaster has no LAST_TRAINING_INSTANCE ({}): each epoch's master pauses 3 s",
                    e.toString());
            return null;
        }
    }
}
