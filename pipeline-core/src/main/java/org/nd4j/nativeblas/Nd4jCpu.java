package org.nd4j.nativeblas;

import java.lang.reflect.Method;

/**
 * Compatibility shim for DL4J 1.0.0-M2.1. DL4J's {@code BaseMKLDNNHelper.mklDnnEnabled()} looks up
 * {@code org.nd4j.nativeblas.Nd4jCpu$Environment#isUseMKLDNN()} by reflection, but nd4j-native M2.1 moved
 * that class to {@code org.nd4j.linalg.cpu.nativecpu.bindings.Nd4jCpu$Environment} and renamed the method
 * to {@code isUseONEDNN()}. The failed lookup silently sends every conv/pool layer down a slow im2col path.
 * This class answers the old question from the new environment, so the oneDNN helpers are used. It reaches
 * the CPU backend by reflection so that the build also compiles against the CUDA backend (-Pcuda), where
 * DL4J never asks.
 */
public final class Nd4jCpu {
    private Nd4jCpu() {
    }

    public static final class Environment {
        private static final Environment INSTANCE = new Environment();
        private final Object cpuEnvironment;
        private final Method isUseOneDnn;

        private Environment() {
            Object env = null;
            Method m = null;
            try {
                Class<?> c = Class.forName("org.nd4j.linalg.cpu.nativecpu.bindings.Nd4jCpu$Environment");
                env = c.getMethod("getInstance").invoke(null);
                m = c.getMethod("isUseONEDNN");
            } catch (ReflectiveOperationException | LinkageError e) {
                // not the CPU backend: report oneDNN as unavailable
            }
            cpuEnvironment = env;
            isUseOneDnn = m;
        }

        public static Environment getInstance() {
            return INSTANCE;
        }

        public boolean isUseMKLDNN() {
            if (isUseOneDnn == null) {
                return false;
            }
            try {
                return (Boolean) isUseOneDnn.invoke(cpuEnvironment);
            } catch (ReflectiveOperationException e) {
                return false;
            }
        }
    }
}
