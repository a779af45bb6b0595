package io.sparkcae.jobs.cluster;

import java.lang.reflect.Field;

/**
 * Reads a private field of DL4J's or the JDK's internals by name, for the figures and clean-ups that have no
 * public accessor in DL4J 1.0.0-M2. A field that is missing or closed reads as null, so a changed DL4J costs
 * a figure or a clean-up, never a training run.
 */
final class InternalField {
    private InternalField() {
    }

    /** The field {@code name} of {@code owner} (declared in its class or a superclass), or null. */
    static Object read(Object owner, String name) {
        if (owner == null) {
            return null;
        }
        for (Class<?> c = owner.getClass(); c != null; c = c.getSuperclass()) {
            try {
                Field f = c.getDeclaredField(name);
                f.setAccessible(true);
                return f.get(owner);
            } catch (NoSuchFieldException e) {
                // look in the superclass
            } catch (ReflectiveOperationException | RuntimeException e) {
                return null;
            }
        }
        return null;
    }
}
