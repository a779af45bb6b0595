package io.sparkcae.core.config;

import com.typesafe.config.Config;
import io.sparkcae.core.error.SparkCaeException;
import org.junit.jupiter.api.Test;

import java.lang.reflect.Field;
import java.lang.reflect.Modifier;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class ConfKeysTest {

    private static List<ConfKey<?>> keys() throws IllegalAccessException {
        List<ConfKey<?>> out = new ArrayList<>();
        for (Field f : ConfKeys.class.getFields()) {
            if (Modifier.isStatic(f.getModifiers()) && f.getType() == ConfKey.class) {
                out.add((ConfKey<?>) f.get(null));
            }
        }
        return out;
    }

    /** Each key's path names a key of the defaults file, and its getter reads that same key. */
    @Test
    void everyKeyReadsItsOwnEntryOfTheDefaultsFile() throws Exception {
        Config file = LayeredConfigLoader.defaults();
        List<ConfKey<?>> keys = keys();
        assertTrue(keys.size() >= 20, "keys found: " + keys.size());
        for (ConfKey<?> k : keys) {
            String path = "sparkcae." + k.path();
            assertTrue(file.hasPath(path), path);
            Object raw = file.getValue(path).unwrapped();
            Object typed = k.defaultValue();
            if (typed instanceof int[] ints) {
                assertEquals(raw, ConfKey.toConfigValue(ints), path);
            } else if (typed instanceof Number n) {
                assertEquals(((Number) raw).doubleValue(), n.doubleValue(), 0, path);
            } else {
                assertEquals(raw, typed, path);
            }
        }
    }

    @Test
    void overridesGoThroughTheFilesValidation() {
        SparkCaeConf c = SparkCaeConf.defaults().with(Map.of(ConfKeys.LATENT_DIM.path(), 7,
                ConfKeys.ENCODER_CHANNELS.path(), ConfKey.toConfigValue(new int[]{4, 2}),
                ConfKeys.TRAINING_MODE.path(), "sharing"));
        assertEquals(7, ConfKeys.LATENT_DIM.valueIn(c));
        assertArrayEquals(new int[]{4, 2}, ConfKeys.ENCODER_CHANNELS.valueIn(c));
        assertEquals("sharing", ConfKeys.TRAINING_MODE.valueIn(c));
        assertFalse(SparkCaeConf.defaults().toJson().equals(c.toJson()));
        SparkCaeException e = assertThrows(SparkCaeException.class, () -> SparkCaeConf.defaults()
                .with(Map.of(ConfKeys.LEARNING_RATE.path(), 0.0)));
        assertTrue(e.getMessage().contains("sparkcae.train.learning-rate"), e.getMessage());
    }

    @Test
    void enumsAreSpelledAsInTheFile() {
        assertEquals(List.of("drop", "zero-pad", "reflect-pad"),
                Arrays.asList(ConfKey.spellings(PatchConf.EdgePolicy.class)));
        assertEquals("averaging", ConfKeys.TRAINING_MODE.defaultValue());
    }
}
