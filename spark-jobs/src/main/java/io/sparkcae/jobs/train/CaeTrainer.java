package io.sparkcae.jobs.train;

import io.sparkcae.core.config.ConfKeys;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.sparkcae.core.config.DataConf;
import io.sparkcae.core.config.SparkCaeConf;
import io.sparkcae.core.config.TrainConf;
import io.sparkcae.core.error.SparkCaeException;
import io.sparkcae.core.fastpath.LayerHelperReport;
import io.sparkcae.core.model.CaeModel;
import io.sparkcae.core.model.CaeNetworkBuilder;
import io.sparkcae.core.model.OutputBiasInit;
import io.sparkcae.core.tensor.ChannelNormalizer;
import io.sparkcae.core.tensor.InputCorruption;
import io.sparkcae.core.tensor.PatchShape;
import io.sparkcae.jobs.common.AnomalyThreshold;
import io.sparkcae.jobs.common.BroadcastModel;
import io.sparkcae.jobs.common.LabelFilter;
import io.sparkcae.jobs.common.ModelMetadata;
import io.sparkcae.jobs.scoring.ThresholdCalibrator;
import io.sparkcae.prep.dataset.Manifest;
import org.apache.spark.api.java.JavaRDD;
import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.nd4j.linalg.factory.Nd4j;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import scala.Tuple2;

import java.util.Arrays;
import java.util.List;

/**
 * Fits a CAE on train and val patch rows: builds the network from the config and the patch shape, starts
 * the output bias at the train mean, trains it epoch by epoch (TrainingLoop), keeps the best epoch, and
 * calibrates the anomaly threshold on val. What both the train stage and the Spark ML estimator run; the
 * caller decides where the result is written.
 */
public final class CaeTrainer {
    private static final Logger LOG = LoggerFactory.getLogger(CaeTrainer.class);
    private static final ObjectMapper JSON = new ObjectMapper();

    private final SparkSession spark;
    private final SparkCaeConf conf;

    public CaeTrainer(SparkSession spark, SparkCaeConf conf) {
        this.spark = spark;
        this.conf = conf;
    }

    /** The fitted model with its {@code model.json} metadata, and how the training went. */
    public static final class Fitted {
        private final CaeModel model;
        private final ModelMetadata metadata;
        private final TrainingLoop.Result result;
        private final int workers;
        private final long trainCount;

        private Fitted(CaeModel model, ModelMetadata metadata, TrainingLoop.Result result, int workers, long trainCount) {
            this.model = model;
            this.metadata = metadata;
            this.result = result;
            this.workers = workers;
            this.trainCount = trainCount;
        }

        /** The best epoch's network. */
        public CaeModel model() {
            return model;
        }

        public ModelMetadata metadata() {
            return metadata;
        }

        TrainingLoop.Result result() {
            return result;
        }

        public int workers() {
            return workers;
        }

        public long trainCount() {
            return trainCount;
        }
    }

    /** A fit without checkpoints, e.g. from the Spark ML estimator. */
    public Fitted fit(Dataset<Row> trainSplit, Dataset<Row> valSplit, PatchShape shape,
                      List<Manifest.ChannelStat> trainStats, String dataName) throws Exception {
        return fit(trainSplit, valSplit, shape, trainStats, dataName, null, null, "");
    }

    /**
     * @param trainSplit  the train split's patch rows (sparkcae.train.labels is applied here)
     * @param valSplit    the val split's patch rows, for per-epoch validation and the threshold
     * @param trainStats  per-channel statistics of the train split, for the normaliser and the output bias
     * @param dataName    how error messages name the data
     * @param checkpoints where to checkpoint (null: nowhere); {@code restored} the point to resume from (or null)
     */
    Fitted fit(Dataset<Row> trainSplit, Dataset<Row> valSplit, PatchShape shape, List<Manifest.ChannelStat> trainStats,
               String dataName, Checkpoints checkpoints, Checkpoints.Restored restored, String fingerprint)
            throws Exception {
        TrainConf train = conf.train();
        JavaSparkContext jsc = JavaSparkContext.fromSparkContext(spark.sparkContext());
        Dataset<Row> trainRows = LabelFilter.apply(trainSplit, train.labels());
        Dataset<Row> valRows = LabelFilter.apply(valSplit, train.labels());
        InputCorruption corruption = new InputCorruption(train.corruption(), train.noiseLevel(),
                conf.data().normalization() != DataConf.Normalization.STANDARDIZE);
        ChannelNormalizer normalizer = Manifest.normalizer(trainStats, conf.data().normalization());

        Nd4j.getRandom().setSeed(conf.seed());
        CaeModel model = new CaeNetworkBuilder(conf.model(), shape).build(train.learningRate(), conf.seed());
        // start at the train mean, not 0.5: sparse fields otherwise kill every decoder ReLU (OutputBiasInit)
        OutputBiasInit.toMeans(model.network(), trainStats.stream().mapToDouble(Manifest.ChannelStat::mean).toArray(),
                normalizer.shift(), normalizer.scale());
        LOG.info("model {} ({}) on patches {}: {} parameters", conf.model(), conf.model().variantName(), shape,
                model.network().numParams());
        LayerHelperReport.of(model.network()).forEach(e -> LOG.info("  {}", e));
        if (!LayerHelperReport.missingHelpers(model.network()).isEmpty()) {
            LOG.warn("some layers run without their oneDNN helper (slow path): {}",
                    LayerHelperReport.missingHelpers(model.network()));
        }

        int workers = train.workers() > 0 ? train.workers() : TrainJob.autoWorkers(jsc);
        TrainConf perWorker = perWorker(train, workers);
        JavaRDD<Tuple2<String, byte[]>> cached = TrainingRows.cache(trainRows, workers);
        try {
            long trainCount = cached.count();
            if (trainCount == 0) {
                throw SparkCaeException.badData(dataName + ": no train patches with labels "
                        + Arrays.toString(train.labels()) + " (" + ConfKeys.LABELS + ")");
            }
            TrainingLoop.Result result = new TrainingLoop(jsc, perWorker, conf.seed(), workers, shape, normalizer,
                    corruption, conf.encode().batchSize())
                    .run(model, cached, trainCount, valRows, checkpoints, restored, fingerprint);

            CaeModel trained = result.best();
            jsc.sc().setJobDescription("sparkcae train: anomaly threshold on val");
            AnomalyThreshold threshold = ThresholdCalibrator.of(BroadcastModel.using(spark, trained, bm ->
                    ThresholdCalibrator.valErrors(valRows, bm, normalizer, conf.encode().batchSize())),
                    conf.score().thresholdQuantile());
            jsc.sc().setJobDescription(null);
            ModelMetadata meta = new ModelMetadata(ModelMetadata.FORMAT_VERSION, conf.model(), shape.dims(),
                    trained.latentVertex(), (int) trained.encode(Nd4j.zeros(shape.batchShape(1))).size(1),
                    trainStats, normalizer.mode(), normalizer.shift(), normalizer.scale(),
                    normalizer.clipLow(), normalizer.clipHigh(),
                    result.bestEpoch(), result.bestValMse(), threshold,
                    org.deeplearning4j.nn.conf.NeuralNetConfiguration.class.getPackage().getImplementationVersion(),
                    spark.version(), JSON.readTree(conf.toJson()));
            return new Fitted(trained, meta, result, workers, trainCount);
        } finally {
            cached.unpersist(false);
        }
    }

    /** The training settings as each worker runs them: batch-size per worker, split when its scope is global. */
    static TrainConf perWorker(TrainConf train, int workers) {
        if (!train.splitsBatch(workers)) {
            return train;
        }
        if (train.batchSize() < workers) {
            throw SparkCaeException.usage(ConfKeys.BATCH_SIZE + " = " + train.batchSize() + " cannot be split across "
                    + workers + " workers (" + ConfKeys.BATCH_SCOPE + " = global); raise it or lower "
                    + ConfKeys.WORKERS);
        }
        TrainConf split = train.forWorkers(workers);
        if (train.batchSize() % workers != 0) {
            LOG.warn("{} = {} over {} workers: {} per worker, {} per averaged step", ConfKeys.BATCH_SIZE,
                    train.batchSize(), workers, split.batchSize(), split.batchSize() * workers);
        } else {
            LOG.info("global mini-batch {} split across {} workers: {} each", train.batchSize(), workers,
                    split.batchSize());
        }
        if (split.learningRate() != train.learningRate()) {
            LOG.info("{} = {}: learning rate {} x {} = {} for {} workers", ConfKeys.LR_WORKER_SCALING,
                    train.lrWorkerScaling().name().toLowerCase(java.util.Locale.ROOT), train.learningRate(),
                    train.workerLrFactor(workers), split.learningRate(), workers);
        }
        return split;
    }
}
