package io.sparkcae.jobs.train;

import io.sparkcae.core.config.ConfKeys;
import io.sparkcae.core.config.SparkCaeConf;
import io.sparkcae.core.config.TrainConf;
import io.sparkcae.core.error.SparkCaeException;
import io.sparkcae.core.model.CaeModel;
import io.sparkcae.core.report.EpochLoss;
import io.sparkcae.core.tensor.ChannelNormalizer;
import io.sparkcae.core.tensor.PatchShape;
import io.sparkcae.jobs.common.Fingerprint;
import io.sparkcae.jobs.common.AnomalyThreshold;
import io.sparkcae.jobs.common.LabelFilter;
import io.sparkcae.jobs.common.ModelStore;
import io.sparkcae.jobs.common.RunFiles;
import io.sparkcae.jobs.common.StageContext;
import io.sparkcae.jobs.common.StageRunner;
import io.sparkcae.prep.dataset.PatchDataset;
import io.sparkcae.prep.dataset.Split;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.Path;
import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

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
        PatchDataset patches = PatchDataset.open(spark, ctx.patchesDir(hadoop));
        PatchShape shape = patches.manifest().shape();
        Dataset<Row> trainSplit = patches.split(Split.TRAIN, "training");
        Dataset<Row> valSplit = patches.split(Split.VAL, "validation");
        Dataset<Row> valRows = LabelFilter.apply(valSplit, train.labels());
        ChannelNormalizer normalizer = patches.manifest().normalizer(conf.data().normalization());

        String fingerprint = Fingerprint.of("train", conf.toJson(),
                ctx.committed(StageContext.PREP_DIR, hadoop).fingerprint());
        return StageRunner.run(ctx, StageContext.TRAIN_DIR, fingerprint, hadoop, dir -> {
            Checkpoints checkpoints = train.checkpointing()
                    ? new Checkpoints(checkpointDir(ctx), train.checkpointKeep(), hadoop) : null;
            Checkpoints.Restored restored = resume ? resumePoint(checkpoints, fingerprint, ctx) : null;
            CaeTrainer.Fitted fitted = new CaeTrainer(spark, conf).fit(trainSplit, valSplit, shape,
                    patches.manifest().trainStats(), patches.dir(), checkpoints, restored, fingerprint);
            TrainingLoop.Result result = fitted.result();
            List<EpochLoss> history = result.history();
            CaeModel trained = fitted.model();
            AnomalyThreshold threshold = fitted.metadata().threshold();
            ModelStore.save(trained.network(), fitted.metadata(), dir, hadoop);
            RunFiles.writeString(dir, "metrics.jsonl", result.jsonl(), hadoop);
            TrainFigures.write(history, trained, conf.model(), conf.seed(), normalizer, valRows, train.previewSamples(),
                    dir, hadoop);

            Map<String, Object> metrics = new LinkedHashMap<>();
            EpochLoss last = history.get(history.size() - 1);
            metrics.put("epochs", history.size());
            metrics.put("best_epoch", result.bestEpoch());
            metrics.put("stopped_early", result.stoppedEarly());
            metrics.put("workers", fitted.workers());
            if (!Double.isNaN(last.trainLoss())) {
                metrics.put("train_loss", last.trainLoss());
            }
            metrics.put("val_mse", last.valLoss());
            metrics.put("best_val_mse", result.bestValMse());
            metrics.put("anomaly_threshold", threshold.value());
            metrics.put("anomaly_threshold_quantile", threshold.quantile());
            metrics.put("train_samples", fitted.trainCount());
            if (resume) {
                metrics.put("resumed_from_epoch", restored == null ? 0 : restored.state().epoch());
            }
            metrics.put("train_s", round1(result.seconds()));
            metrics.put("samples_per_s", Math.round(fitted.trainCount() * (double) (history.size()
                    - (restored == null ? 0 : restored.state().epoch())) / result.seconds()));
            return metrics;
        });
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
            throw SparkCaeException.usage("--resume needs checkpoints: " + ConfKeys.CHECKPOINT_EVERY_EPOCHS + " and "
                    + ConfKeys.CHECKPOINT_EVERY_ITERATIONS + " are both 0");
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
                    + " (other inputs or config); remove it or set " + ConfKeys.CHECKPOINT_DIR);
        }
        return r;
    }

    /**
     * In local mode every worker shares one JVM and one OpenMP pool: one worker using all cores takes N times
     * the steps per epoch that N averaging workers take, and measured on Fashion-MNIST it reaches a lower
     * validation error per epoch at about the same speed (docs/performance.md); on a cluster, one worker per
     * task slot.
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
