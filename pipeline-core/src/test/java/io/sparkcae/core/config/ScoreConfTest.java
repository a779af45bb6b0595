package io.sparkcae.core.config;

import io.sparkcae.core.error.SparkCaeException;
import org.junit.jupiter.api.Test;

import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class ScoreConfTest {

    @Test
    void defaultsKeepTheReconstructionErrorAsTheFlaggedScore() {
        ScoreConf score = LayeredConfigLoader.load(null, List.of()).score();
        assertEquals(ScoreConf.Method.MSE, score.method());
        assertEquals("mse", ConfKeys.SCORE_METHOD.defaultValue());
        assertEquals(5, score.knnK());
        assertEquals(10000, score.knnMaxTrain());
    }

    @Test
    void methodsAreReadByTheirConfigSpelling() {
        for (ScoreConf.Method m : ScoreConf.Method.values()) {
            ScoreConf score = LayeredConfigLoader.load(null, List.of("score.method=" + ConfKey.spelling(m))).score();
            assertEquals(m, score.method());
        }
        assertEquals("latent_knn", ScoreConf.Method.KNN.column());
    }

    @Test
    void badValuesNameTheirKey() {
        SparkCaeException e = assertThrows(SparkCaeException.class,
                () -> LayeredConfigLoader.load(null, List.of("score.method=isolation-forest")));
        assertEquals("config key sparkcae.score.method: 'isolation-forest' is not one of mse | mahalanobis | knn"
                + " | combined", e.getMessage());
        for (String bad : new String[]{"score.knn-k=0", "score.knn-max-train=5", "score.latent-ridge=0"}) {
            String key = bad.substring(0, bad.indexOf('='));
            SparkCaeException b = assertThrows(SparkCaeException.class, () -> LayeredConfigLoader.load(null, List.of(bad)));
            assertTrue(b.getMessage().contains("sparkcae." + key), b.getMessage());
        }
    }
}
