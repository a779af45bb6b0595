package io.sparkcae.jobs.train;

import org.apache.spark.SparkEnv;
import org.nd4j.parameterserver.distributed.v2.transport.PortSupplier;

/**
 * The UDP port of this JVM's Aeron endpoint for gradient sharing: the base port on the driver, base + 1 + k
 * on executor k. DL4J's own StaticPortSupplier ignores its argument (the port stays 49876) and one port for
 * every executor makes executors sharing a host collide, hence this class.
 */
final class ExecutorPortSupplier implements PortSupplier {
    private static final long serialVersionUID = 1L;
    private final int basePort;

    ExecutorPortSupplier(int basePort) {
        this.basePort = basePort;
    }

    @Override
    public int getPort() {
        SparkEnv env = SparkEnv.get();
        String id = env == null ? "driver" : env.executorId();
        if ("driver".equals(id)) {
            return basePort;
        }
        try {
            return basePort + 1 + Integer.parseInt(id);
        } catch (NumberFormatException e) {
            return basePort + 1 + Math.floorMod(id.hashCode(), 1000);
        }
    }
}
