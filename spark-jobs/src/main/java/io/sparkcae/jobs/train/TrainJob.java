package io.sparkcae.jobs.train;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.sparkcae.core.config.SparkCaeConf;
import io.sparkcae.core.config.TrainConf;
import io.sparkcae.core.error.ExitCode;
import io.sparkcae.core.error.SparkCaeException;
import io.sparkcae.core.fastpath.LayerHelperReport;
import io.sparkcae.core.model.CaeModel;
import io.sparkcae.core.model.CaeNetworkBuilder;
import io.sparkcae.core.report.EpochLoss;
import io.sparkcae.core.config.DataConf;
import io.sparkcae.core.tensor.ChannelNormalizer;
import io.sparkcae.core.tensor.InputCorruption;
import io.sparkcae.core.tensor.PatchShape;
import io.sparkcae.jobs.common.BroadcastModel;
import io.sparkcae.jobs.common.Fingerprint;
import io.sparkcae.jobs.common.ModelMetadata;
import io.sparkcae.jobs.common.ModelStore;
import io.sparkcae.jobs.common.PatchInference;
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
import org.apache.spark.storage.StorageLevel;
import org.deeplearning4j.spark.impl.multilayer.SparkDl4jMultiLayer;
import org.nd4j.linalg.dataset.DataSet;
import org.nd4j.linalg.factory.Nd4j;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import scala.Tuple2;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
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
            LOG.info("model {} on patches {}: {} parameters", conf.model(), shape, model.network().numParams());
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
            SparkDl4jMultiLayer sparkNet = new SparkDl4jMultiLayer(jsc, model.network(),
                    TrainingMasterFactory.create(train, workers, conf.seed()));

            List<EpochLoss> history = new ArrayList<>();
            StringBuilder jsonl = new StringBuilder();
            double best = Double.POSITIVE_INFINITY;
            long fitStart = System.nanoTime();
            double elements = shape.elementCount();
            for (int epoch = 1; epoch <= train.epochs(); epoch++) {
                long t0 = System.nanoTime();
                JavaRDD<DataSet> batches = EpochBatches.of(cached, shape, normalizer, corruption, train.batchSize(), conf.seed(), epoch)
                        .persist(StorageLevel.MEMORY_ONLY());
                TrainingProgressListener progress = new TrainingProgressListener(epoch, train.epochs(), trainCount,
                        (long) workers * train.batchSize() * train.averagingFrequency(),
                        () -> sparkNet.getScore() / elements);
                spark.sparkContext().addSparkListener(progress);
                spark.sparkContext().setJobDescription("sparkcae train: epoch " + epoch + "/" + train.epochs());
                try {
                    sparkNet.fit(batches);
                } finally {
                    progress.stop();
                    spark.sparkContext().removeSparkListener(progress);
                    batches.unpersist(false);
                }
                double fitSeconds = (System.nanoTime() - t0) / 1e9;
                double trainLoss = sparkNet.getScore() / elements;
                spark.sparkContext().setJobDescription("sparkcae train: validate epoch " + epoch);
                BroadcastModel bm = BroadcastModel.of(jsc, model.withNetwork(sparkNet.getNetwork()));
                double valMse = PatchInference.meanMse(PatchInference.run(valRows, bm, normalizer, corruption, conf.encode().batchSize(), false));
                bm.destroy();
                if (!Double.isFinite(valMse) || !Double.isFinite(trainLoss)) {
                    throw new SparkCaeException(ExitCode.DIVERGED, "training diverged in epoch " + epoch
                            + " (train loss " + trainLoss + ", val MSE " + valMse + "); lower sparkcae.train.learning-rate");
                }
                best = Math.min(best, valMse);
                history.add(new EpochLoss(epoch, trainLoss, valMse));
                Map<String, Object> line = new LinkedHashMap<>();
                line.put("epoch", epoch);
                line.put("train_loss", trainLoss);
                line.put("val_mse", valMse);
                line.put("epoch_s", round1(fitSeconds));
                line.put("samples_per_s", Math.round(trainCount / fitSeconds));
                jsonl.append(JSON.writeValueAsString(line)).append('\n');
                LOG.info(String.format(Locale.ROOT, "epoch %d/%d done: train loss %.5f, val MSE %.5f, %.1f s (%.0f samples/s)",
                        epoch, train.epochs(), trainLoss, valMse, fitSeconds, trainCount / fitSeconds));
            }
            double trainSeconds = (System.nanoTime() - fitStart) / 1e9;
            spark.sparkContext().setJobDescription(null);

            CaeModel trained = model.withNetwork(sparkNet.getNetwork());
            ModelMetadata meta = new ModelMetadata(ModelMetadata.FORMAT_VERSION, conf.model(), shape.dims(),
                    trained.latentLayer(), (int) trained.encode(Nd4j.zeros(shape.batchShape(1))).size(1),
                    patches.manifest().trainStats(), normalizer.mode(), normalizer.shift(), normalizer.scale(),
                    train.epochs(), best,
                    org.deeplearning4j.nn.conf.NeuralNetConfiguration.class.getPackage().getImplementationVersion(),
                    spark.version(), JSON.readTree(conf.toJson()));
            ModelStore.save(trained.network(), meta, out.tmpDir(), hadoop);
            RunFiles.writeString(out.tmpDir(), "metrics.jsonl", jsonl.toString(), hadoop);
            TrainFigures.write(history, trained, normalizer, valRows, train.previewSamples(), out.tmpDir(), hadoop);

            Map<String, Object> metrics = new LinkedHashMap<>();
            EpochLoss last = history.get(history.size() - 1);
            metrics.put("epochs", train.epochs());
            metrics.put("workers", workers);
            metrics.put("train_loss", last.trainLoss());
            metrics.put("val_mse", last.valLoss());
            metrics.put("best_val_mse", best);
            metrics.put("train_samples", trainCount);
            metrics.put("train_s", round1(trainSeconds));
            metrics.put("samples_per_s", Math.round(trainCount * (double) train.epochs() / trainSeconds));
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
