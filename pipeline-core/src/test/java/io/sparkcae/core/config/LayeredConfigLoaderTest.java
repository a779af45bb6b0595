package io.sparkcae.core.config;

import io.sparkcae.core.error.ExitCode;
import io.sparkcae.core.error.SparkCaeException;
import io.sparkcae.core.model.ModelSpec;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.File;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class LayeredConfigLoaderTest {
    @TempDir
    Path dir;

    private File file(String content) throws IOException {
        Path p = dir.resolve("user.conf");
        Files.writeString(p, content);
        return p.toFile();
    }

    @Test
    void defaultsDescribeTheReferenceNet() {
        SparkCaeConf c = LayeredConfigLoader.load(null, List.of());
        assertArrayEquals(new int[]{32, 16}, c.model().encoderChannels());
        assertEquals(32, c.model().latentDim());
        assertEquals(ModelSpec.Decoder.UPSAMPLE, c.model().decoder());
        assertEquals(ModelSpec.Loss.MSE, c.model().loss());
        assertEquals(DataConf.FASHION_MNIST_DIR, c.data().effectiveInput());
        assertEquals(0, c.patch().size().length);
    }

    @Test
    void presetsSetOnlyTheKeysTheUserLeftAlone() throws IOException {
        SparkCaeConf reference = LayeredConfigLoader.load(null, List.of("model.preset=reference"));
        assertEquals(TrainConf.LrSchedule.CONSTANT, reference.train().lrSchedule());
        assertEquals(0.001, reference.train().learningRate());

        SparkCaeConf byDefault = LayeredConfigLoader.load(null, List.of());
        assertEquals(TrainConf.LrSchedule.COSINE, byDefault.train().lrSchedule());
        assertArrayEquals(reference.model().encoderChannels(), byDefault.model().encoderChannels());

        SparkCaeConf quality = LayeredConfigLoader.load(null, List.of("model.preset=quality"));
        assertTrue(quality.train().epochs() > byDefault.train().epochs(), "quality trains longer");

        // the user's file and --set win over the preset's keys; the preset named in the file applies
        File f = file("model { preset = quality }\ntrain.learning-rate = 0.0005\n");
        SparkCaeConf mixed = LayeredConfigLoader.load(f, List.of("train.epochs=2"));
        assertEquals(2, mixed.train().epochs());
        assertEquals(0.0005, mixed.train().learningRate());
        assertArrayEquals(quality.model().encoderChannels(), mixed.model().encoderChannels());
        assertEquals(quality.train().lrSchedule(), mixed.train().lrSchedule());
    }

    @Test
    void anUnknownPresetIsAUsageErrorNamingTheKey() {
        SparkCaeException e = assertThrows(SparkCaeException.class,
                () -> LayeredConfigLoader.load(null, List.of("model.preset=fastest")));
        assertEquals(ExitCode.USAGE, e.exitCode());
        assertTrue(e.getMessage().contains("model.preset") && e.getMessage().contains("fastest")
                && e.getMessage().contains("reference, default, quality"), e.getMessage());
    }

    @Test
    void aLoadedConfigurationRefusesANewPresetRatherThanIgnoringIt() {
        assertThrows(IllegalArgumentException.class,
                () -> SparkCaeConf.defaults().with(java.util.Map.of("model.preset", "quality")));
    }

    @Test
    void userFileOverridesDefaultsAndSetOverridesTheFile() throws IOException {
        File f = file("train { epochs = 7, batch-size = 64 }\nmodel.latent-dim = 16\n");
        SparkCaeConf fromFile = LayeredConfigLoader.load(f, List.of());
        assertEquals(7, fromFile.train().epochs());
        assertEquals(64, fromFile.train().batchSize());
        assertEquals(16, fromFile.model().latentDim());
        assertEquals(0.006, fromFile.train().learningRate(), 1e-12); // untouched default

        SparkCaeConf withSet = LayeredConfigLoader.load(f, List.of("train.epochs=2", "sparkcae.model.latent-dim=8"));
        assertEquals(2, withSet.train().epochs());
        assertEquals(8, withSet.model().latentDim());
        assertEquals(64, withSet.train().batchSize()); // from the file
    }

    @Test
    void laterSetWinsAndListsAndPathsParse() {
        SparkCaeConf c = LayeredConfigLoader.load(null, List.of("train.epochs=2", "train.epochs=4",
                "model.encoder-channels=[8,4,2]", "data.input=/tmp/some dir/x:y", "patch.size=[16,16]"));
        assertEquals(4, c.train().epochs());
        assertArrayEquals(new int[]{8, 4, 2}, c.model().encoderChannels());
        assertEquals("/tmp/some dir/x:y", c.data().input());
        assertArrayEquals(new int[]{16, 16}, c.patch().size());
    }

    @Test
    void fileMayUseTheSparkcaeWrapper() throws IOException {
        File f = file("sparkcae { seed = 99 }");
        assertEquals(99, LayeredConfigLoader.load(f, List.of()).seed());
    }

    @Test
    void unknownKeyInFileIsRejectedByName() throws IOException {
        File f = file("train { epocs = 3 }");
        SparkCaeException e = assertThrows(SparkCaeException.class, () -> LayeredConfigLoader.load(f, List.of()));
        assertEquals(ExitCode.USAGE, e.exitCode());
        assertTrue(e.getMessage().contains("train.epocs"), e.getMessage());
        assertTrue(e.getMessage().contains(f.toString()), e.getMessage());
    }

    @Test
    void unknownKeyInSetIsRejectedByName() {
        SparkCaeException e = assertThrows(SparkCaeException.class,
                () -> LayeredConfigLoader.load(null, List.of("model.latent=3")));
        assertTrue(e.getMessage().contains("model.latent") && e.getMessage().contains("--set"), e.getMessage());
    }

    @Test
    void badValuesNameTheKeyAndTheAllowedValues() {
        assertMessage(List.of("train.epochs=0"), "sparkcae.train.epochs", ">= 1");
        assertMessage(List.of("train.epochs=many"), "sparkcae.train.epochs", "integer");
        assertMessage(List.of("model.decoder=pixelshuffle"), "sparkcae.model.decoder", "upsample | transposed");
        assertMessage(List.of("data.val-fraction=1.5"), "sparkcae.data.val-fraction", "[0, 1)");
        assertMessage(List.of("data.image.resize-policy=stretch"), "sparkcae.data.image.resize-policy", "center-crop");
        assertMessage(List.of("train.learning-rate=-1"), "sparkcae.train.learning-rate", "positive");
        assertMessage(List.of("model.kernel=4"), "sparkcae.model.kernel", "odd");
        assertMessage(List.of("patch.size=[8,8]", "patch.stride=[4]"), "sparkcae.patch.stride", "as many");
        assertMessage(List.of("justakey"), "justakey", "key=value");
    }

    @Test
    void missingConfigFileIsAUsageError() {
        SparkCaeException e = assertThrows(SparkCaeException.class,
                () -> LayeredConfigLoader.load(dir.resolve("nope.conf").toFile(), List.of()));
        assertEquals(ExitCode.USAGE, e.exitCode());
        assertTrue(e.getMessage().contains("nope.conf"));
    }

    @Test
    void effectiveConfigIsRenderedAsJson() {
        String json = LayeredConfigLoader.load(null, List.of("train.epochs=9")).toJson();
        assertTrue(json.contains("\"epochs\" : 9"), json);
    }

    private static void assertMessage(List<String> sets, String key, String hint) {
        SparkCaeException e = assertThrows(SparkCaeException.class, () -> LayeredConfigLoader.load(null, sets));
        assertEquals(ExitCode.USAGE, e.exitCode());
        assertTrue(e.getMessage().contains(key), e.getMessage());
        assertTrue(e.getMessage().contains(hint), e.getMessage());
    }

    @Test
    void anUnsetVariableInTheConfigFileIsAUsageErrorNamingIt() throws IOException {
        Path f = dir.resolve("var.conf");
        Files.writeString(f, "sparkcae.train.epochs = ${SPARKCAE_TEST_SURELY_UNSET_VARIABLE}\n");
        SparkCaeException e = assertThrows(SparkCaeException.class, () -> LayeredConfigLoader.load(f.toFile(), List.of()));
        assertEquals(ExitCode.USAGE, e.exitCode());
        assertTrue(e.getMessage().contains("${SPARKCAE_TEST_SURELY_UNSET_VARIABLE} is not set"), e.getMessage());
        assertTrue(e.getMessage().contains(f.toString()), e.getMessage());
    }

    @Test
    void aVariableMayReferToAnotherKeyOfTheFileOrTheDefaults() throws IOException {
        Path f = dir.resolve("ref.conf");
        Files.writeString(f, "sparkcae.train.epochs = ${sparkcae.train.checkpoint-keep}\n");
        assertEquals(2, LayeredConfigLoader.load(f.toFile(), List.of()).train().epochs());
    }
}
