package io.sparkcae.ml;

import io.sparkcae.core.config.SparkCaeConf;
import io.sparkcae.core.config.TrainConf;
import io.sparkcae.core.error.SparkCaeException;
import io.sparkcae.core.model.ModelSpec;
import org.apache.spark.ml.param.Param;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The estimator's Params are the configuration's keys: same defaults, same validation, file as a base. */
class CaeEstimatorParamsTest {
    @TempDir
    Path dir;

    @Test
    void defaultsAreTheConfigFilesAndUnsetParamsLeaveTheConfigAlone() {
        CaeEstimator e = new CaeEstimator();
        SparkCaeConf defaults = SparkCaeConf.defaults();
        assertEquals(defaults.model().latentDim(), e.getLatentDim());
        assertArrayEquals(defaults.model().encoderChannels(), e.getEncoderChannels());
        assertEquals(defaults.train().epochs(), e.getEpochs());
        assertEquals(defaults.train().learningRate(), e.getLearningRate());
        assertEquals(defaults.seed(), e.getSeed());
        assertEquals("averaging", e.getTrainingMode());
        assertEquals("none", e.getNormalization());
        assertEquals(defaults.toJson(), e.toConf().toJson());
        Param<?> latent = e.latentDim();
        assertTrue(e.explainParam(latent).contains("sparkcae.model.latent-dim"), e.explainParam(latent));
    }

    @Test
    void setParamsOverrideTheirKeys() {
        SparkCaeConf c = new CaeEstimator().setLatentDim(5).setEncoderChannels(new int[]{4, 4}).setEpochs(2)
                .setTrainingMode("sharing").setLoss("l1").setSeed(9).setLabels(new int[]{0, 3}).toConf();
        assertEquals(5, c.model().latentDim());
        assertArrayEquals(new int[]{4, 4}, c.model().encoderChannels());
        assertEquals(2, c.train().epochs());
        assertEquals(TrainConf.TrainingMode.SHARING, c.train().mode());
        assertEquals(ModelSpec.Loss.L1, c.model().loss());
        assertEquals(9, c.seed());
        assertArrayEquals(new int[]{0, 3}, c.train().labels());
    }

    @Test
    void badValuesAreRefusedNamingTheParamOrKey() {
        assertThrows(IllegalArgumentException.class, () -> new CaeEstimator().setLatentDim(0));
        assertThrows(IllegalArgumentException.class, () -> new CaeEstimator().setTrainingMode("allreduce"));
        SparkCaeException e = assertThrows(SparkCaeException.class,
                () -> new CaeEstimator().setLearningRate(0).toConf());
        assertTrue(e.getMessage().contains("sparkcae.train.learning-rate"), e.getMessage());
    }

    @Test
    void aConfigFileIsTheBaseOfUnsetParams() throws Exception {
        Path conf = dir.resolve("my.conf");
        Files.writeString(conf, "model { latent-dim = 12 }\ntrain { epochs = 4 }\n");
        SparkCaeConf c = new CaeEstimator().setConfigFile(conf.toString()).setEpochs(1).toConf();
        assertEquals(12, c.model().latentDim());
        assertEquals(1, c.train().epochs(), "a set Param wins over the file");
    }

    @Test
    void aDataFrameWithoutPatchColumnsIsRefusedBeforeAnySparkWork() {
        org.apache.spark.sql.types.StructType images = new org.apache.spark.sql.types.StructType()
                .add("path", "string").add("content", "binary");
        SparkCaeException e = assertThrows(SparkCaeException.class, () -> new CaeEstimator().transformSchema(images));
        assertTrue(e.getMessage().contains("no column 'id'"), e.getMessage());
        org.apache.spark.sql.types.StructType patchesPlus = io.sparkcae.prep.dataset.PatchSchema.SCHEMA
                .add("x", "int");
        assertTrue(java.util.Arrays.asList(new CaeEstimator().transformSchema(patchesPlus).fieldNames())
                .containsAll(java.util.List.of("latent", "recon_error", "anomaly")));
    }

    @Test
    void copiesKeepParamsAndIndependence() {
        CaeEstimator e = new CaeEstimator().setLatentDim(3);
        CaeEstimator copy = e.copy(new org.apache.spark.ml.param.ParamMap());
        assertEquals(3, copy.getLatentDim());
        copy.setLatentDim(4);
        assertEquals(3, e.getLatentDim());
    }
}
