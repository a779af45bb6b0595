package io.sparkcae.core.config;

/**
 * The typed keys of the one configuration tree that code outside this package names: the settings a library
 * caller tunes per fit (the Spark ML estimator's Params: same names, same defaults, same validation as the
 * config file) and the keys that error messages tell a user to change. A key prints as its full name
 * ({@code sparkcae.train.labels}), so messages never spell one out.
 */
public final class ConfKeys {
    public static final ConfKey<Long> SEED = ConfKey.of("seed", SparkCaeConf::seed);

    public static final ConfKey<int[]> ENCODER_CHANNELS = ConfKey.of("model.encoder-channels", c -> c.model().encoderChannels());
    public static final ConfKey<Integer> KERNEL = ConfKey.of("model.kernel", c -> c.model().kernel());
    public static final ConfKey<String> BOTTLENECK = ConfKey.ofEnum("model.bottleneck", c -> c.model().bottleneck());
    public static final ConfKey<Integer> LATENT_DIM = ConfKey.of("model.latent-dim", c -> c.model().latentDim());
    public static final ConfKey<String> DECODER = ConfKey.ofEnum("model.decoder", c -> c.model().decoder());
    public static final ConfKey<String> LOSS = ConfKey.ofEnum("model.loss", c -> c.model().loss());
    public static final ConfKey<Boolean> SKIP_CONNECTIONS = ConfKey.of("model.skip-connections", c -> c.model().skipConnections());
    public static final ConfKey<Boolean> VARIATIONAL = ConfKey.of("model.variational", c -> c.model().variational());

    public static final ConfKey<Integer> EPOCHS = ConfKey.of("train.epochs", c -> c.train().epochs());
    public static final ConfKey<Integer> BATCH_SIZE = ConfKey.of("train.batch-size", c -> c.train().batchSize());
    public static final ConfKey<String> BATCH_SCOPE = ConfKey.ofEnum("train.batch-scope", c -> c.train().batchScope());
    public static final ConfKey<String> LR_WORKER_SCALING = ConfKey.ofEnum("train.lr-worker-scaling",
            c -> c.train().lrWorkerScaling());
    public static final ConfKey<Double> LEARNING_RATE = ConfKey.of("train.learning-rate", c -> c.train().learningRate());
    public static final ConfKey<String> TRAINING_MODE = ConfKey.ofEnum("train.mode", c -> c.train().mode());
    public static final ConfKey<Integer> WORKERS = ConfKey.of("train.workers", c -> c.train().workers());
    public static final ConfKey<Integer> AVERAGING_FREQUENCY = ConfKey.of("train.averaging-frequency",
            c -> c.train().averagingFrequency());
    public static final ConfKey<int[]> LABELS = ConfKey.of("train.labels", c -> c.train().labels());
    public static final ConfKey<String> CORRUPTION = ConfKey.ofEnum("train.corruption", c -> c.train().corruption());
    public static final ConfKey<Double> NOISE_LEVEL = ConfKey.of("train.noise-level", c -> c.train().noiseLevel());

    public static final ConfKey<String> NORMALIZATION = ConfKey.ofEnum("data.normalization", c -> c.data().normalization());
    public static final ConfKey<Double> THRESHOLD_QUANTILE = ConfKey.of("score.threshold-quantile",
            c -> c.score().thresholdQuantile());
    public static final ConfKey<String> SCORE_METHOD = ConfKey.ofEnum("score.method", c -> c.score().method());
    public static final ConfKey<Integer> KNN_K = ConfKey.of("score.knn-k", c -> c.score().knnK());
    public static final ConfKey<Integer> KNN_MAX_TRAIN = ConfKey.of("score.knn-max-train", c -> c.score().knnMaxTrain());
    public static final ConfKey<Double> LATENT_RIDGE = ConfKey.of("score.latent-ridge", c -> c.score().latentRidge());
    public static final ConfKey<Integer> INFERENCE_BATCH_SIZE = ConfKey.of("encode.batch-size", c -> c.encode().batchSize());

    // Patch extraction (the Spark ML PatchTransformer)
    public static final ConfKey<int[]> PATCH_SIZE = ConfKey.of("patch.size", c -> c.patch().size());
    public static final ConfKey<int[]> PATCH_STRIDE = ConfKey.of("patch.stride", c -> c.patch().stride());
    public static final ConfKey<String> PATCH_EDGE = ConfKey.ofEnum("patch.edge", c -> c.patch().edge());
    public static final ConfKey<Double> PATCH_MIN_VARIANCE = ConfKey.of("patch.min-variance", c -> c.patch().minVariance());
    public static final ConfKey<Integer> IMAGE_CHANNELS = ConfKey.of("data.image.channels", c -> c.data().channels());
    public static final ConfKey<Double> VAL_FRACTION = ConfKey.of("data.val-fraction", c -> c.data().valFraction());
    public static final ConfKey<Double> TEST_FRACTION = ConfKey.of("data.test-fraction", c -> c.data().testFraction());

    // Keys that messages name
    public static final ConfKey<String> RESIZE_POLICY = ConfKey.of("data.image.resize-policy",
            c -> c.data().resizePolicy());
    public static final ConfKey<String> NAN_POLICY = ConfKey.ofEnum("data.nan-policy", c -> c.data().nanPolicy());
    public static final ConfKey<Integer> CHECKPOINT_EVERY_EPOCHS = ConfKey.of("train.checkpoint-every-epochs",
            c -> c.train().checkpointEveryEpochs());
    public static final ConfKey<Integer> CHECKPOINT_EVERY_ITERATIONS = ConfKey.of("train.checkpoint-every-iterations",
            c -> c.train().checkpointEveryIterations());
    public static final ConfKey<String> CHECKPOINT_DIR = ConfKey.of("train.checkpoint-dir", c -> c.train().checkpointDir());
    public static final ConfKey<Integer> SHARING_EPOCH_TIMEOUT = ConfKey.of("train.sharing-epoch-timeout",
            c -> c.train().sharingEpochTimeout());
    public static final ConfKey<Integer> POD_MAX_SNAPSHOTS = ConfKey.of("rom.pod-max-snapshots",
            c -> c.rom().podMaxSnapshots());
    public static final ConfKey<int[]> ROM_LATENT_SIZES = ConfKey.of("rom.latent-sizes", c -> c.rom().latentSizes());
    public static final ConfKey<String> ROM_METHOD = ConfKey.ofEnum("rom.method", c -> c.rom().method());
    public static final ConfKey<Double> POD_AE_ENERGY = ConfKey.of("rom.pod-ae.energy", c -> c.rom().podAe().energy());
    public static final ConfKey<Integer> POD_AE_MAX_MODES = ConfKey.of("rom.pod-ae.max-modes",
            c -> c.rom().podAe().maxModes());
    public static final ConfKey<Integer> POD_AE_EPOCHS = ConfKey.of("rom.pod-ae.epochs", c -> c.rom().podAe().epochs());

    private ConfKeys() {
    }
}
