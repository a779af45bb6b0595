package io.sparkcae.ml;

import io.sparkcae.core.config.ConfKey;
import io.sparkcae.core.config.DataConf;
import io.sparkcae.core.config.SparkCaeConf;
import io.sparkcae.core.config.TrainConf;
import io.sparkcae.core.config.ConfKeys;
import io.sparkcae.core.error.SparkCaeException;
import io.sparkcae.core.model.ModelSpec;
import io.sparkcae.core.tensor.PatchShape;
import io.sparkcae.jobs.train.CaeTrainer;
import io.sparkcae.jobs.train.TrainSplitStats;
import io.sparkcae.prep.dataset.Manifest;
import io.sparkcae.prep.dataset.PatchSchema;
import io.sparkcae.prep.dataset.Split;
import org.apache.spark.ml.Estimator;
import org.apache.spark.ml.param.BooleanParam;
import org.apache.spark.ml.param.DoubleParam;
import org.apache.spark.ml.param.IntArrayParam;
import org.apache.spark.ml.param.IntParam;
import org.apache.spark.ml.param.LongParam;
import org.apache.spark.ml.param.Param;
import org.apache.spark.ml.param.ParamMap;
import org.apache.spark.ml.param.ParamValidators;
import org.apache.spark.ml.util.DefaultParamsReader;
import org.apache.spark.ml.util.DefaultParamsWritable;
import org.apache.spark.ml.util.Identifiable$;
import org.apache.spark.ml.util.MLReader;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.types.StructType;

import java.util.Arrays;
import java.util.List;

import static org.apache.spark.sql.functions.col;

/**
 * Fits a convolutional autoencoder on a DataFrame of patches and returns a {@link CaeModel}.
 *
 * <p>Input: rows in the patch schema that {@code sparkcae prep} writes and {@link PatchTransformer} produces
 * ({@code id, source, split, label, origin, shape, data}; {@code data} is float32 little-endian bytes, all
 * rows of one shape). Rows with {@code split = "train"} are trained on, rows with {@code split = "val"}
 * validate each epoch (the best epoch is kept) and calibrate the anomaly threshold; other rows are ignored.
 * The normaliser's statistics are computed from the train rows.
 *
 * <p>Every model and training Param stands for a key of the configuration file (its doc names the key)
 * and defaults to that key's built-in default ({@code conf/sparkcae-defaults.conf}); values are checked by
 * the same validation as the file. Params left unset take their value from {@link #setConfigFile the
 * config file} when one is given. Training is the train stage's: the same network builder, training
 * masters (averaging or sharing), validation, best-epoch selection and threshold calibration, so a model
 * fitted here equals one that {@code sparkcae train} fits from the same rows and settings.
 */
public final class CaeEstimator extends Estimator<CaeModel> implements DefaultParamsWritable {
    private static final long serialVersionUID = 1L;
    private final String uid;
    private final ConfParams confParams = new ConfParams();

    private final IntArrayParam encoderChannels;
    private final IntParam kernel;
    private final Param<String> bottleneck;
    private final IntParam latentDim;
    private final Param<String> decoder;
    private final Param<String> loss;
    private final BooleanParam skipConnections;
    private final BooleanParam variational;
    private final IntParam epochs;
    private final IntParam batchSize;
    private final Param<String> batchScope;
    private final Param<String> lrWorkerScaling;
    private final DoubleParam learningRate;
    private final Param<String> trainingMode;
    private final IntParam workers;
    private final IntParam averagingFrequency;
    private final IntArrayParam labels;
    private final Param<String> corruption;
    private final DoubleParam noiseLevel;
    private final Param<String> normalization;
    private final LongParam seed;
    private final DoubleParam thresholdQuantile;
    private final IntParam inferenceBatchSize;
    private final Param<String> configFile;
    private final Param<String> latentCol;
    private final Param<String> reconErrorCol;
    private final Param<String> anomalyCol;

    public CaeEstimator() {
        this(Identifiable$.MODULE$.randomUID("caeEstimator"));
    }

    public CaeEstimator(String uid) {
        this.uid = uid;
        encoderChannels = intArray("encoderChannels", "output channels of each encoder block", ConfKeys.ENCODER_CHANNELS);
        kernel = intParam("kernel", "conv kernel size", ConfKeys.KERNEL, 1);
        bottleneck = choice("bottleneck", "vector (dense latent) or spatial (feature-map latent)",
                ConfKeys.BOTTLENECK, ModelSpec.Bottleneck.class);
        latentDim = intParam("latentDim", "size of the dense latent", ConfKeys.LATENT_DIM, 1);
        decoder = choice("decoder", "upsample (upsampling + conv) or transposed", ConfKeys.DECODER,
                ModelSpec.Decoder.class);
        loss = choice("loss", "reconstruction loss", ConfKeys.LOSS, ModelSpec.Loss.class);
        skipConnections = bool("skipConnections", "U-Net skip connections", ConfKeys.SKIP_CONNECTIONS);
        variational = bool("variational", "variational bottleneck", ConfKeys.VARIATIONAL);
        epochs = intParam("epochs", "training epochs", ConfKeys.EPOCHS, 1);
        batchSize = intParam("batchSize", "mini-batch size (on each worker, or split across them: batchScope)",
                ConfKeys.BATCH_SIZE, 1);
        batchScope = choice("batchScope", "worker (batchSize per worker) or global (batchSize split across the"
                + " workers, so the error per epoch does not depend on their number)", ConfKeys.BATCH_SCOPE,
                TrainConf.BatchScope.class);
        lrWorkerScaling = choice("lrWorkerScaling", "log (with batchScope global: learningRate x (1 + log2(workers)"
                + " / 8)) or none", ConfKeys.LR_WORKER_SCALING, TrainConf.LrWorkerScaling.class);
        learningRate = doubleParam("learningRate", "Adam learning rate", ConfKeys.LEARNING_RATE);
        trainingMode = choice("trainingMode", "averaging (parameter averaging) or sharing (gradient sharing)",
                ConfKeys.TRAINING_MODE, TrainConf.TrainingMode.class);
        workers = intParam("workers", "training workers (0 = auto)", ConfKeys.WORKERS, 0);
        averagingFrequency = intParam("averagingFrequency", "mini-batches between parameter averagings",
                ConfKeys.AVERAGING_FREQUENCY, 1);
        labels = intArray("labels", "train and validate only on these labels ([] = all)", ConfKeys.LABELS);
        corruption = choice("corruption", "input corruption while training (denoising variants)",
                ConfKeys.CORRUPTION, TrainConf.Corruption.class);
        noiseLevel = doubleParam("noiseLevel", "strength of the input corruption", ConfKeys.NOISE_LEVEL);
        normalization = choice("normalization", "input normalisation from the train rows' statistics",
                ConfKeys.NORMALIZATION, DataConf.Normalization.class);
        seed = new LongParam(this, "seed", doc("random seed of weights, data order and sampling", ConfKeys.SEED));
        setDefault(confParams.bind(seed, ConfKeys.SEED), ConfKeys.SEED.defaultValue());
        thresholdQuantile = doubleParam("thresholdQuantile", "anomaly threshold = this quantile of the val"
                + " rows' reconstruction MSE", ConfKeys.THRESHOLD_QUANTILE);
        inferenceBatchSize = intParam("inferenceBatchSize", "batch size of validation and transform",
                ConfKeys.INFERENCE_BATCH_SIZE, 1);
        configFile = new Param<>(this, "configFile", "a sparkcae config file (HOCON, like --config) that unset"
                + " params take their values from (\"\" = built-in defaults)");
        setDefault(configFile, "");
        latentCol = new Param<>(this, "latentCol", "the model's output column of the latent code (array<float>)");
        setDefault(latentCol, CaeModel.DEFAULT_LATENT_COL);
        reconErrorCol = new Param<>(this, "reconErrorCol", "the model's output column of the reconstruction MSE");
        setDefault(reconErrorCol, CaeModel.DEFAULT_RECON_ERROR_COL);
        anomalyCol = new Param<>(this, "anomalyCol", "the model's output column of the anomaly flag");
        setDefault(anomalyCol, CaeModel.DEFAULT_ANOMALY_COL);
    }

    private static String doc(String what, ConfKey<?> key) {
        return what + " (config key " + key + ")";
    }

    private IntParam intParam(String name, String what, ConfKey<Integer> key, int min) {
        IntParam p = new IntParam(this, name, doc(what, key), ParamValidators.gtEq(min));
        setDefault(confParams.bind(p, key), key.defaultValue());
        return p;
    }

    private DoubleParam doubleParam(String name, String what, ConfKey<Double> key) {
        DoubleParam p = new DoubleParam(this, name, doc(what, key), ParamValidators.gtEq(0));
        setDefault(confParams.bind(p, key), key.defaultValue());
        return p;
    }

    private BooleanParam bool(String name, String what, ConfKey<Boolean> key) {
        BooleanParam p = new BooleanParam(this, name, doc(what, key));
        setDefault(confParams.bind(p, key), key.defaultValue());
        return p;
    }

    private IntArrayParam intArray(String name, String what, ConfKey<int[]> key) {
        IntArrayParam p = new IntArrayParam(this, name, doc(what, key));
        setDefault(confParams.bind(p, key), key.defaultValue());
        return p;
    }

    private Param<String> choice(String name, String what, ConfKey<String> key, Class<? extends Enum<?>> type) {
        List<String> allowed = Arrays.asList(ConfKey.spellings(type));
        Param<String> p = new Param<>(this, name, doc(what + ": " + String.join(" | ", allowed), key),
                ParamValidators.inArray(allowed));
        setDefault(confParams.bind(p, key), key.defaultValue());
        return p;
    }

    // ---- Params (Spark finds them through these public no-argument methods) ----

    public IntArrayParam encoderChannels() {
        return encoderChannels;
    }

    public IntParam kernel() {
        return kernel;
    }

    public Param<String> bottleneck() {
        return bottleneck;
    }

    public IntParam latentDim() {
        return latentDim;
    }

    public Param<String> decoder() {
        return decoder;
    }

    public Param<String> loss() {
        return loss;
    }

    public BooleanParam skipConnections() {
        return skipConnections;
    }

    public BooleanParam variational() {
        return variational;
    }

    public IntParam epochs() {
        return epochs;
    }

    public IntParam batchSize() {
        return batchSize;
    }

    public Param<String> batchScope() {
        return batchScope;
    }

    public Param<String> lrWorkerScaling() {
        return lrWorkerScaling;
    }

    public DoubleParam learningRate() {
        return learningRate;
    }

    public Param<String> trainingMode() {
        return trainingMode;
    }

    public IntParam workers() {
        return workers;
    }

    public IntParam averagingFrequency() {
        return averagingFrequency;
    }

    public IntArrayParam labels() {
        return labels;
    }

    public Param<String> corruption() {
        return corruption;
    }

    public DoubleParam noiseLevel() {
        return noiseLevel;
    }

    public Param<String> normalization() {
        return normalization;
    }

    public LongParam seed() {
        return seed;
    }

    public DoubleParam thresholdQuantile() {
        return thresholdQuantile;
    }

    public IntParam inferenceBatchSize() {
        return inferenceBatchSize;
    }

    public Param<String> configFile() {
        return configFile;
    }

    public Param<String> latentCol() {
        return latentCol;
    }

    public Param<String> reconErrorCol() {
        return reconErrorCol;
    }

    public Param<String> anomalyCol() {
        return anomalyCol;
    }

    public CaeEstimator setLatentCol(String v) {
        set(latentCol, v);
        return this;
    }

    public CaeEstimator setReconErrorCol(String v) {
        set(reconErrorCol, v);
        return this;
    }

    public CaeEstimator setAnomalyCol(String v) {
        set(anomalyCol, v);
        return this;
    }

    // ---- setters and getters ----

    public CaeEstimator setEncoderChannels(int[] v) {
        set(encoderChannels, v);
        return this;
    }

    public int[] getEncoderChannels() {
        return getOrDefault(encoderChannels);
    }

    public CaeEstimator setKernel(int v) {
        set(kernel, v);
        return this;
    }

    public int getKernel() {
        return (Integer) getOrDefault(kernel);
    }

    public CaeEstimator setBottleneck(String v) {
        set(bottleneck, v);
        return this;
    }

    public String getBottleneck() {
        return getOrDefault(bottleneck);
    }

    public CaeEstimator setLatentDim(int v) {
        set(latentDim, v);
        return this;
    }

    public int getLatentDim() {
        return (Integer) getOrDefault(latentDim);
    }

    public CaeEstimator setDecoder(String v) {
        set(decoder, v);
        return this;
    }

    public String getDecoder() {
        return getOrDefault(decoder);
    }

    public CaeEstimator setLoss(String v) {
        set(loss, v);
        return this;
    }

    public String getLoss() {
        return getOrDefault(loss);
    }

    public CaeEstimator setSkipConnections(boolean v) {
        set(skipConnections, v);
        return this;
    }

    public boolean getSkipConnections() {
        return (Boolean) getOrDefault(skipConnections);
    }

    public CaeEstimator setVariational(boolean v) {
        set(variational, v);
        return this;
    }

    public boolean getVariational() {
        return (Boolean) getOrDefault(variational);
    }

    public CaeEstimator setEpochs(int v) {
        set(epochs, v);
        return this;
    }

    public int getEpochs() {
        return (Integer) getOrDefault(epochs);
    }

    public CaeEstimator setBatchSize(int v) {
        set(batchSize, v);
        return this;
    }

    public int getBatchSize() {
        return (Integer) getOrDefault(batchSize);
    }

    public CaeEstimator setBatchScope(String v) {
        set(batchScope, v);
        return this;
    }

    public String getBatchScope() {
        return getOrDefault(batchScope);
    }

    public CaeEstimator setLrWorkerScaling(String v) {
        set(lrWorkerScaling, v);
        return this;
    }

    public String getLrWorkerScaling() {
        return getOrDefault(lrWorkerScaling);
    }

    public CaeEstimator setLearningRate(double v) {
        set(learningRate, v);
        return this;
    }

    public double getLearningRate() {
        return (Double) getOrDefault(learningRate);
    }

    public CaeEstimator setTrainingMode(String v) {
        set(trainingMode, v);
        return this;
    }

    public String getTrainingMode() {
        return getOrDefault(trainingMode);
    }

    public CaeEstimator setWorkers(int v) {
        set(workers, v);
        return this;
    }

    public int getWorkers() {
        return (Integer) getOrDefault(workers);
    }

    public CaeEstimator setAveragingFrequency(int v) {
        set(averagingFrequency, v);
        return this;
    }

    public int getAveragingFrequency() {
        return (Integer) getOrDefault(averagingFrequency);
    }

    public CaeEstimator setLabels(int[] v) {
        set(labels, v);
        return this;
    }

    public int[] getLabels() {
        return getOrDefault(labels);
    }

    public CaeEstimator setCorruption(String v) {
        set(corruption, v);
        return this;
    }

    public String getCorruption() {
        return getOrDefault(corruption);
    }

    public CaeEstimator setNoiseLevel(double v) {
        set(noiseLevel, v);
        return this;
    }

    public double getNoiseLevel() {
        return (Double) getOrDefault(noiseLevel);
    }

    public CaeEstimator setNormalization(String v) {
        set(normalization, v);
        return this;
    }

    public String getNormalization() {
        return getOrDefault(normalization);
    }

    public CaeEstimator setSeed(long v) {
        set(seed, v);
        return this;
    }

    public long getSeed() {
        return (Long) getOrDefault(seed);
    }

    public CaeEstimator setThresholdQuantile(double v) {
        set(thresholdQuantile, v);
        return this;
    }

    public double getThresholdQuantile() {
        return (Double) getOrDefault(thresholdQuantile);
    }

    public CaeEstimator setInferenceBatchSize(int v) {
        set(inferenceBatchSize, v);
        return this;
    }

    public int getInferenceBatchSize() {
        return (Integer) getOrDefault(inferenceBatchSize);
    }

    public CaeEstimator setConfigFile(String v) {
        set(configFile, v);
        return this;
    }

    public String getConfigFile() {
        return getOrDefault(configFile);
    }

    /** The configuration a fit runs with: defaults (or the config file) overridden by the set Params. */
    public SparkCaeConf toConf() {
        return confParams.conf(this, getConfigFile());
    }

    // ---- Estimator ----

    @Override
    public String uid() {
        return uid;
    }

    @Override
    public CaeModel fit(Dataset<?> dataset) {
        Dataset<Row> rows = dataset.toDF();
        transformSchema(rows.schema(), true);
        SparkCaeConf conf = toConf();
        Dataset<Row> train = rows.filter(col(PatchSchema.SPLIT).equalTo(Split.TRAIN.columnValue()));
        Dataset<Row> val = rows.filter(col(PatchSchema.SPLIT).equalTo(Split.VAL.columnValue()));
        PatchShape shape = PatchColumns.singleShape(train, "CaeEstimator.fit: the train rows");
        if (val.isEmpty()) {
            throw SparkCaeException.badData("CaeEstimator.fit: no rows with split = \"" + Split.VAL.columnValue()
                    + "\"; they validate each epoch and calibrate the anomaly threshold"
                    + " (PatchTransformer.setValFraction, or " + ConfKeys.VAL_FRACTION + " in prep)");
        }
        List<Manifest.ChannelStat> stats = TrainSplitStats.of(train, shape.channels());
        CaeTrainer.Fitted fitted;
        try {
            fitted = new CaeTrainer(rows.sparkSession(), conf).fit(train, val, shape, stats,
                    "CaeEstimator.fit's DataFrame");
        } catch (RuntimeException e) {
            throw e;
        } catch (Exception e) { // checked exceptions of the training masters
            throw new IllegalStateException("CaeEstimator.fit: " + e.getMessage(), e);
        }
        CaeModel model = new CaeModel(uid, fitted.model(), fitted.metadata());
        return copyValues(model.setParent(this), ParamMap.empty());
    }

    /**
     * Checks the patch columns and gives the fitted model's output: a fit always calibrates a threshold
     * (on the val rows), so the anomaly column is there.
     */
    @Override
    public StructType transformSchema(StructType schema) {
        PatchColumns.require(schema, "CaeEstimator.fit", PatchSchema.ID, PatchSchema.SOURCE, PatchSchema.SPLIT,
                PatchSchema.LABEL, PatchSchema.ORIGIN, PatchSchema.SHAPE, PatchSchema.DATA);
        return CaeModel.outputSchema(schema, getOrDefault(latentCol), getOrDefault(reconErrorCol),
                getOrDefault(anomalyCol));
    }

    @Override
    public CaeEstimator copy(ParamMap extra) {
        return (CaeEstimator) defaultCopy(extra);
    }

    public static MLReader<CaeEstimator> read() {
        return new DefaultParamsReader<>();
    }

    public static CaeEstimator load(String path) {
        return read().load(path);
    }
}
