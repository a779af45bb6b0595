package io.sparkcae.jobs.train;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.sparkcae.core.config.TrainConf;
import io.sparkcae.core.error.ExitCode;
import io.sparkcae.core.error.SparkCaeException;
import io.sparkcae.core.model.CaeModel;
import io.sparkcae.core.report.EpochLoss;
import io.sparkcae.core.tensor.ChannelNormalizer;
import io.sparkcae.core.tensor.InputCorruption;
import io.sparkcae.core.tensor.PatchShape;
import io.sparkcae.jobs.common.BroadcastModel;
import io.sparkcae.jobs.common.PatchInference;
import io.sparkcae.jobs.cluster.SharingEpochProbe;
import io.sparkcae.jobs.cluster.SharingEpochReport;
import io.sparkcae.jobs.cluster.SharingWatchdog;
import org.apache.spark.api.java.JavaRDD;
import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.storage.StorageLevel;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.deeplearning4j.spark.impl.multilayer.SparkDl4jMultiLayer;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.dataset.DataSet;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import scala.Tuple2;

import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * The epochs of one training run: per epoch a fresh training master seeded by (seed, epoch), the scheduled
 * learning rate, a validation pass, early stopping, and a checkpoint. Because nothing carries over between
 * epochs but the network (with its updater) and the history, a run resumed from a checkpoint ends with the
 * same parameters as one that was never interrupted.
 */
final class TrainingLoop {
    private static final Logger LOG = LoggerFactory.getLogger(TrainingLoop.class);
    private static final ObjectMapper JSON = new ObjectMapper();

    /** What the loop produced: the best epoch's model, the history and the per-epoch JSON lines. */
    record Result(CaeModel best, int bestEpoch, double bestValMse, List<EpochLoss> history, String jsonl,
                  double seconds, boolean stoppedEarly) {
    }

    private final JavaSparkContext jsc;
    private final TrainConf train;
    private final long seed;
    private final int workers;
    private final PatchShape shape;
    private final ChannelNormalizer normalizer;
    private final InputCorruption corruption;
    private final int inferenceBatch;

    TrainingLoop(JavaSparkContext jsc, TrainConf train, long seed, int workers, PatchShape shape,
                 ChannelNormalizer normalizer, InputCorruption corruption, int inferenceBatch) {
        this.jsc = jsc;
        this.train = train;
        this.seed = seed;
        this.workers = workers;
        this.shape = shape;
        this.normalizer = normalizer;
        this.corruption = corruption;
        this.inferenceBatch = inferenceBatch;
    }

    Result run(CaeModel model, JavaRDD<Tuple2<String, byte[]>> trainRows, long trainCount, Dataset<Row> valRows,
               Checkpoints checkpoints, Checkpoints.Restored resumeFrom, String fingerprint) throws Exception {
        List<EpochLoss> history = new ArrayList<>();
        int bestEpoch = 0;
        double bestVal = Double.POSITIVE_INFINITY;
        int first = 1;
        if (resumeFrom != null) {
            // The checkpointed network itself: its configuration carries the iteration and epoch counts that
            // Adam's bias correction depends on, which copying parameters and updater state would lose.
            model = model.withNetwork(resumeFrom.network());
        }
        MultiLayerNetwork net = model.network();
        MultiLayerNetwork best = resumeFrom != null ? resumeFrom.best() : net.clone();
        if (resumeFrom != null) {
            history.addAll(resumeFrom.state().history());
            bestEpoch = resumeFrom.state().bestEpoch();
            bestVal = resumeFrom.state().bestValMse();
            first = resumeFrom.state().epoch() + 1;
            LOG.info("resuming after epoch {} (best so far: epoch {}, val MSE {})", first - 1, bestEpoch, bestVal);
        }
        StringBuilder jsonl = new StringBuilder();
        for (EpochLoss e : history) {
            jsonl.append(line(e, Double.NaN, Double.NaN, null)).append('\n');
        }
        double elements = shape.elementCount();
        long start = System.nanoTime();
        boolean stopped = false;
        for (int epoch = first; epoch <= train.epochs(); epoch++) {
            long t0 = System.nanoTime();
            double lr = train.learningRate(epoch);
            net.setLearningRate(lr);
            SparkDl4jMultiLayer sparkNet = new SparkDl4jMultiLayer(jsc, net,
                    TrainingMasterFactory.create(train, workers, EpochBatches.mix(seed, epoch, -1),
                            jsc.getConf().get("spark.driver.host", "127.0.0.1")));
            JavaRDD<DataSet> batches = EpochBatches.of(trainRows, shape, normalizer, corruption, train.batchSize(),
                    seed, epoch).persist(StorageLevel.MEMORY_ONLY());
            TrainingProgressListener progress = new TrainingProgressListener(epoch, train.epochs(), trainCount,
                    (long) workers * train.batchSize() * train.averagingFrequency(), () -> sparkNet.getScore() / elements);
            jsc.sc().addSparkListener(progress);
            boolean sharing = train.mode() == TrainConf.TrainingMode.SHARING;
            INDArray paramsBefore = sharing && !jsc.isLocal() ? net.params().dup() : null;
            SharingWatchdog watchdog = sharing ? new SharingWatchdog(jsc, "sharing-epoch-" + epoch,
                    Duration.ofSeconds(train.sharingEpochTimeout())) : null;
            jsc.sc().setJobDescription("sparkcae train: epoch " + epoch + "/" + train.epochs());
            try {
                sparkNet.fit(batches);
            } catch (Exception e) { // SparkException is checked, but Scala code throws it undeclared
                if (watchdog != null && watchdog.failure() != null) {
                    throw new SparkCaeException(ExitCode.INFRASTRUCTURE, "training epoch " + epoch + " cancelled: "
                            + watchdog.failure() + "; rerun with --resume to continue from the last checkpoint", e);
                }
                throw e;
            } finally {
                if (watchdog != null) {
                    watchdog.close();
                }
                progress.stop();
                jsc.sc().removeSparkListener(progress);
                batches.unpersist(false);
            }
            double fitSeconds = (System.nanoTime() - t0) / 1e9;
            Map<String, Object> sharingMetrics = null;
            if (paramsBefore != null) {
                // per-executor update traffic, and the reset DL4J needs before the next epoch's master
                SharingEpochReport report = SharingEpochReport.of(SharingEpochProbe.run(jsc, Duration.ofSeconds(120)),
                        paramsBefore, net.params());
                LOG.info("epoch {}: {}", epoch, report.toLogLine());
                sharingMetrics = report.toMetrics();
            }
            // SharedTrainingMaster leaves the score at 0.0: no train loss is reported for gradient sharing.
            double trainLoss = train.mode() == TrainConf.TrainingMode.SHARING ? Double.NaN
                    : sparkNet.getScore() / elements;
            jsc.sc().setJobDescription("sparkcae train: validate epoch " + epoch);
            BroadcastModel bm = BroadcastModel.of(jsc, model.withNetwork(net));
            double valMse = PatchInference.meanMse(PatchInference.run(valRows, bm, normalizer, corruption,
                    inferenceBatch, false));
            bm.destroy();
            if (!Double.isFinite(valMse) || Double.isInfinite(trainLoss)
                    || (train.mode() == TrainConf.TrainingMode.AVERAGING && Double.isNaN(trainLoss))) {
                throw new SparkCaeException(ExitCode.DIVERGED, "training diverged in epoch " + epoch
                        + " (train loss " + trainLoss + ", val MSE " + valMse + "); lower sparkcae.train.learning-rate");
            }
            EpochLoss e = new EpochLoss(epoch, trainLoss, valMse);
            history.add(e);
            jsonl.append(line(e, fitSeconds, trainCount / fitSeconds, sharingMetrics)).append('\n');
            if (valMse < bestVal - train.earlyStoppingMinDelta()) {
                bestVal = valMse;
                bestEpoch = epoch;
                best = net.clone();
            }
            LOG.info(String.format(Locale.ROOT,
                    "epoch %d/%d done: lr %.2e, train loss %.5f, val MSE %.5f (best %.5f at epoch %d), %.1f s (%.0f samples/s)",
                    epoch, train.epochs(), lr, trainLoss, valMse, bestVal, bestEpoch, fitSeconds, trainCount / fitSeconds));
            if (checkpoints != null && train.checkpointEveryEpochs() > 0
                    && (epoch % train.checkpointEveryEpochs() == 0 || epoch == train.epochs())) {
                checkpoints.save(new Checkpoints.State(epoch, history, bestEpoch, bestVal, fingerprint), net, best);
            }
            if (train.earlyStoppingPatience() > 0 && epoch - bestEpoch >= train.earlyStoppingPatience()) {
                LOG.info("early stopping: no val improvement > {} for {} epochs; keeping epoch {}",
                        train.earlyStoppingMinDelta(), epoch - bestEpoch, bestEpoch);
                stopped = true;
                break;
            }
        }
        jsc.sc().setJobDescription(null);
        return new Result(model.withNetwork(best), bestEpoch, bestVal, history, jsonl.toString(),
                (System.nanoTime() - start) / 1e9, stopped);
    }

    private static String line(EpochLoss e, double seconds, double samplesPerSecond, Map<String, Object> sharing)
            throws Exception {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("epoch", e.epoch());
        if (!Double.isNaN(e.trainLoss())) {
            m.put("train_loss", e.trainLoss());
        }
        m.put("val_mse", e.valLoss());
        if (!Double.isNaN(seconds)) {
            m.put("epoch_s", Math.round(seconds * 10) / 10.0);
            m.put("samples_per_s", Math.round(samplesPerSecond));
        }
        if (sharing != null) {
            m.put("sharing", sharing);
        }
        return JSON.writeValueAsString(m);
    }
}
