package io.sparkcae.jobs.train;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.sparkcae.core.config.SparkCaeConf;
import io.sparkcae.core.config.TrainConf;
import io.sparkcae.core.error.SparkCaeException;
import io.sparkcae.core.fastpath.LayerHelperReport;
import io.sparkcae.core.model.CaeModel;
import io.sparkcae.core.model.CaeNetworkBuilder;
import io.sparkcae.core.model.OutputBiasInit;
import io.sparkcae.core.report.EpochLoss;
import io.sparkcae.core.config.DataConf;
import io.sparkcae.core.tensor.ChannelNormalizer;
import io.sparkcae.core.tensor.InputCorruption;
import io.sparkcae.core.tensor.PatchShape;
import io.sparkcae.jobs.common.Fingerprint;
import io.sparkcae.jobs.common.AnomalyThreshold;
import io.sparkcae.jobs.common.BroadcastModel;
import io.sparkcae.jobs.common.ModelMetadata;
import io.sparkcae.jobs.score.ThresholdCalibrator;
import io.sparkcae.jobs.common.LabelFilter;
import io.sparkcae.jobs.common.ModelStore;
import io.sparkcae.jobs.common.RunFiles;
import io.sparkcae.jobs.common.StageContext;
import io.sparkcae.jobs.common.StageOutput;
import io.sparkcae.prep.dataset.PatchDataset;
import io.sparkcae.prep.dataset.Split;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.Path;
import org.apache.spark.api.java.JavaRDD;
import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.nd4j.linalg.factory.Nd4j;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import scala.Tuple2;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The train stage: builds the CAE from the config and the dataset's patch shape, trains it with DL4J's
 * Spark training master one epoch at a time, scores the val split after each epoch, and commits
 * {@code <run-dir>/train}: model.zip, model.json, metrics.jsonl, metrics.json, loss.png, reconstructions.png.
 */
public final class TrainJob {
    private static final Logger LOG = LoggerFactory.getLogger(TrainJob.class);
    private static final ObjectMapper JSON = new ObjectMapper();

    private TrainJob() {
    }

    public static Map<String, Object> run(SparkSession spark, StageContext ctx) throws Exception {
        return run(spark, ctx, false);
    }

    /** @param resume continue from the latest checkpoint of this same run, if there is one */
    public static Map<String, Object> run(SparkSession spark, StageContext ctx, boolean resume) throws Exception {
        SparkCaeConf conf = ctx.conf();
        TrainConf train = conf.train();
        Configuration hadoop = spark.sparkContext().hadoopConfiguration();
        JavaSparkContext jsc = JavaSparkContext.fromSparkContext(spark.sparkContext());
        PatchDataset patches = PatchDataset.open(spark, ctx.patchesDir());
        PatchShape shape = patches.manifest().shape();
        Dataset<Row> trainRows = LabelFilter.apply(patches.split(Split.TRAIN, "training"), train.labels());
        Dataset<Row> valRows = LabelFilter.apply(patches.split(Split.VAL, "validation"), train.labels());
        InputCorruption corruption = new InputCorruption(train.corruption(), train.noiseLevel(),
                conf.data().normalization() != DataConf.Normalization.STANDARDIZE);
        ChannelNormalizer normalizer = patches.manifest().normalizer(conf.data().normalization());

        String fingerprint = Fingerprint.of("train", conf.toJson(),
                String.valueOf(StageOutput.readFingerprint(new Path(ctx.stageDir(StageContext.PREP_DIR))
                        .getFileSystem(hadoop), new Path(ctx.stageDir(StageContext.PREP_DIR)))));
        StageOutput out = StageOutput.begin(ctx.stageDir(StageContext.TRAIN_DIR), fingerprint, ctx.ifExists(), hadoop);
        if (out == null) {
            return Map.of("skipped", true);
        }
        JavaRDD<Tuple2<String, byte[]>> cached = null;
        try {
            Nd4j.getRandom().setSeed(conf.seed());
            CaeModel model = new CaeNetworkBuilder(conf.model(), shape).build(train.learningRate(), conf.seed());
            // start at the train mean, not 0.5: sparse fields otherwise kill every decoder ReLU (OutputBiasInit)
            OutputBiasInit.toMeans(model.network(), patches.manifest().trainStats().stream()
                    .mapToDouble(io.sparkcae.prep.dataset.Manifest.ChannelStat::mean).toArray(), normalizer.shift(), normalizer.scale());
            LOG.info("model {} ({}) on patches {}: {} parameters", conf.model(), conf.model().variantName(), shape,
                    model.network().numParams());
            LayerHelperReport.of(model.network()).forEach(e -> LOG.info("  {}", e));
            if (!LayerHelperReport.missingHelpers(model.network()).isEmpty()) {
                LOG.warn("some layers run without their oneDNN helper (slow path): {}",
                        LayerHelperReport.missingHelpers(model.network()));
            }

            int workers = train.workers() > 0 ? train.workers() : autoWorkers(jsc);
            cached = TrainingRows.cache(trainRows, workers);
            long trainCount = cached.count();
            if (trainCount == 0) {
                throw SparkCaeException.badData(patches.dir() + ": no train patches with labels "
                        + java.util.Arrays.toString(train.labels()) + " (sparkcae.train.labels)");
            }
            Checkpoints checkpoints = train.checkpointing()
                    ? new Checkpoints(checkpointDir(ctx), train.checkpointKeep(), hadoop) : null;
            Checkpoints.Restored restored = resume ? resumePoint(checkpoints, fingerprint, ctx) : null;
            TrainingLoop.Result result = new TrainingLoop(jsc, train, conf.seed(), workers, shape, normalizer,
                    corruption, conf.encode().batchSize())
                    .run(model, cached, trainCount, valRows, checkpoints, restored, fingerprint);
            List<EpochLoss> history = result.history();
            double best = result.bestValMse();
            double trainSeconds = result.seconds();

            CaeModel trained = result.best();
            jsc.sc().setJobDescription("sparkcae train: anomaly threshold on val");
            BroadcastModel bestModel = BroadcastModel.of(jsc, trained);
            AnomalyThreshold threshold = ThresholdCalibrator.of(ThresholdCalibrator.valErrors(spark, valRows, bestModel,
                    normalizer, conf.encode().batchSize()), conf.score().thresholdQuantile());
            bestModel.destroy();
            jsc.sc().setJobDescription(null);
            ModelMetadata meta = new ModelMetadata(ModelMetadata.FORMAT_VERSION, conf.model(), shape.dims(),
                    trained.latentVertex(), (int) trained.encode(Nd4j.zeros(shape.batchShape(1))).size(1),
                    patches.manifest().trainStats(), normalizer.mode(), normalizer.shift(), normalizer.scale(),
                    normalizer.clipLow(), normalizer.clipHigh(),
                    result.bestEpoch(), best, threshold,
                    org.deeplearning4j.nn.conf.NeuralNetConfiguration.class.getPackage().getImplementationVersion(),
                    spark.version(), JSON.readTree(conf.toJson()));
            ModelStore.save(trained.network(), meta, out.tmpDir(), hadoop);
            RunFiles.writeString(out.tmpDir(), "metrics.jsonl", result.jsonl(), hadoop);
            TrainFigures.write(history, trained, conf.model(), conf.seed(), normalizer, valRows, train.previewSamples(),
                    out.tmpDir(), hadoop);

            Map<String, Object> metrics = new LinkedHashMap<>();
            EpochLoss last = history.get(history.size() - 1);
            metrics.put("epochs", history.size());
            metrics.put("best_epoch", result.bestEpoch());
            metrics.put("stopped_early", result.stoppedEarly());
            metrics.put("workers", workers);
            if (!Double.isNaN(last.trainLoss())) {
                metrics.put("train_loss", last.trainLoss());
            }
            metrics.put("val_mse", last.valLoss());
            metrics.put("best_val_mse", best);
            metrics.put("anomaly_threshold", threshold.value());
            metrics.put("anomaly_threshold_quantile", threshold.quantile());
            metrics.put("train_samples", trainCount);
            if (resume) {
                metrics.put("resumed_from_epoch", restored == null ? 0 : restored.state().epoch());
            }
            metrics.put("train_s", round1(trainSeconds));
            metrics.put("samples_per_s", Math.round(trainCount * (double) (history.size()
                    - (restored == null ? 0 : restored.state().epoch())) / trainSeconds));
            RunFiles.writeString(out.tmpDir(), "metrics.json",
                    JSON.writerWithDefaultPrettyPrinter().writeValueAsString(metrics), hadoop);
            out.commit();
            LOG.info("train: committed model to {}", out.finalDir());
            return metrics;
        } catch (Exception | Error e) {
            out.abort();
            throw e;
        } finally {
            if (cached != null) {
                cached.unpersist(false);
            }
        }
    }

    static String checkpointDir(StageContext ctx) {
        String configured = ctx.conf().train().checkpointDir();
        return configured.isBlank() ? new Path(ctx.runDir(), "checkpoints").toString() : configured;
    }

    /**
     * The checkpoint {@code --resume} continues from: the newest of this run (same fingerprint). With none, the
     * run starts at epoch 1 with a WARN line (and {@code resumed_from_epoch: 0} in metrics.json), so a scheduler
     * can pass --resume on every attempt, the first included; checkpoints of other runs are named, not used.
     */
    private static Checkpoints.Restored resumePoint(Checkpoints checkpoints, String fingerprint, StageContext ctx) {
        if (checkpoints == null) {
            throw SparkCaeException.usage("--resume needs checkpoints: sparkcae.train.checkpoint-every-epochs and"
                    + " sparkcae.train.checkpoint-every-iterations are both 0");
        }
        Checkpoints.Restored r = checkpoints.latest(fingerprint);
        if (r == null) {
            List<String> others = checkpoints.otherRuns(fingerprint);
            LOG.warn("--resume: no checkpoint of this run in {}{}; starting from epoch 1", checkpoints.dirOf(fingerprint),
                    others.isEmpty() ? "" : " (" + others.size() + " other run(s) there with another config or"
                            + " input, e.g. " + others.get(0) + ", are left alone)");
            return null;
        }
        if (!fingerprint.equals(r.state().fingerprint())) {
            throw SparkCaeException.usage(checkpoints.dirOf(fingerprint) + ": the checkpoint is from a different run"
                    + " (other inputs or config); remove it or set sparkcae.train.checkpoint-dir");
        }
        return r;
    }

    /**
     * In local mode every worker shares one JVM and one OpenMP pool, and measured on Fashion-MNIST one
     * worker using all cores reaches a lower validation error per epoch (no averaging of divergent
     * replicas) at about the same speed; on a cluster, one worker per task slot.
     */
    static int autoWorkers(JavaSparkContext jsc) {
        String master = jsc.master();
        boolean sharedJvm = master.startsWith("local") && !master.startsWith("local-cluster");
        return sharedJvm ? 1 : jsc.defaultParallelism();
    }

    static double round1(double v) {
        return Math.round(v * 10) / 10.0;
    }
}
