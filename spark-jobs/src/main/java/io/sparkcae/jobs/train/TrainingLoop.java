package io.sparkcae.jobs.train;

import io.sparkcae.core.config.ConfKeys;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.sparkcae.core.config.TrainConf;
import io.sparkcae.core.error.ExitCode;
import io.sparkcae.core.error.SparkCaeException;
import io.sparkcae.core.model.CaeModel;
import io.sparkcae.core.model.CosineSchedule;
import io.sparkcae.core.report.EpochLoss;
import io.sparkcae.core.tensor.ChannelNormalizer;
import io.sparkcae.core.tensor.InputCorruption;
import io.sparkcae.core.tensor.PatchShape;
import io.sparkcae.jobs.common.BroadcastModel;
import io.sparkcae.jobs.scoring.PatchScorer;
import org.apache.spark.api.java.JavaRDD;
import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.storage.StorageLevel;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.deeplearning4j.spark.api.TrainingMaster;
import org.deeplearning4j.spark.impl.graph.SparkComputationGraph;
import org.nd4j.linalg.dataset.DataSet;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import scala.Tuple2;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

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
    private final TrainingStrategy strategy;

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
        this.strategy = TrainingStrategy.of(train);
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
        ComputationGraph net = model.network();
        ComputationGraph best = resumeFrom != null ? resumeFrom.best() : copyWithCounts(net);
        if (resumeFrom != null) {
            history.addAll(resumeFrom.state().history());
            bestEpoch = resumeFrom.state().bestEpoch();
            bestVal = resumeFrom.state().bestValMse();
            first = resumeFrom.state().epoch() + 1;
            LOG.info("resuming after epoch {} (best so far: epoch {}, val MSE {})", first - 1, bestEpoch, bestVal);
        }
        StringBuilder jsonl = new StringBuilder();
        for (EpochLoss e : history) {
            jsonl.append(line(e, Double.NaN, Double.NaN, Double.NaN, Double.NaN, null)).append('\n');
        }
        double elements = shape.elementCount();
        // An epoch is fitted in segments of checkpoint-every-iterations batches per worker (one segment when 0),
        // each a separate Spark fit followed by a checkpoint.
        int epochBatches = EpochBatches.maxBatchesPerPartition(trainRows, train.batchSize());
        int segmentBatches = train.checkpointEveryIterations() > 0 ? train.checkpointEveryIterations()
                : Math.max(1, epochBatches);
        int segments = Math.max(1, (epochBatches + segmentBatches - 1) / segmentBatches);
        int firstSegment = resumeFrom != null ? resumeFrom.state().segmentsDone() : 0;
        double resumedLossSum = resumeFrom != null ? resumeFrom.state().partialLossSum() : 0;
        if (firstSegment > 0) {
            LOG.info("resuming epoch {} at batch {} of {} (segment {}/{})", first, firstSegment * segmentBatches,
                    epochBatches, firstSegment + 1, segments);
        }
        // one schedule over every epoch's iterations, set once; DL4J evaluates it at the network's iteration
        // count, which averaging rounds and resumes carry on
        CosineSchedule cosine = train.lrSchedule() == TrainConf.LrSchedule.COSINE
                ? CosineSchedule.over(train.learningRate(), train.epochs() * epochBatches) : null;
        if (cosine != null) {
            net.setLearningRate(cosine);
        }
        long start = System.nanoTime();
        boolean stopped = false;
        for (int epoch = first; epoch <= train.epochs(); epoch++) {
            long t0 = System.nanoTime();
            double lr = train.learningRate(epoch);
            if (cosine != null) {
                lr = cosine.valueAt(net.getConfiguration().getIterationCount(), epoch - 1);
            } else {
                net.setLearningRate(lr);
            }
            double klBeta = CaeModel.setKlWarmup(net, train.klWarmupFactor(epoch));
            int fromSegment = epoch == first ? firstSegment : 0;
            double lossSum = epoch == first ? resumedLossSum : 0;
            List<Map<String, Object>> sharingSegments = new ArrayList<>();
            for (int segment = fromSegment; segment < segments; segment++) {
                Segment fitted = fitSegment(net, trainRows, trainCount, epoch, segment, segmentBatches, epochBatches);
                lossSum += fitted.score() / elements;
                if (fitted.sharing() != null) {
                    sharingSegments.add(fitted.sharing());
                }
                if (checkpoints != null && train.checkpointEveryIterations() > 0 && segment < segments - 1) {
                    checkpoints.save(new Checkpoints.State(epoch - 1, segment + 1, (segment + 1) * segmentBatches,
                            lossSum, history, bestEpoch, bestVal, fingerprint), net, best);
                }
            }
            double fitSeconds = (System.nanoTime() - t0) / 1e9;
            double trainLoss = strategy.reportsTrainLoss() ? lossSum / segments : Double.NaN;
            jsc.sc().setJobDescription("sparkcae train: validate epoch " + epoch);
            BroadcastModel bm = BroadcastModel.of(jsc, model.withNetwork(net));
            double valMse = PatchScorer.meanMse(new PatchScorer(bm, normalizer, corruption, inferenceBatch, Set.of())
                    .rows(valRows));
            double kl = model.variational() ? ValidationKl.mean(valRows, bm, normalizer, inferenceBatch) : Double.NaN;
            bm.destroy();
            if (!Double.isFinite(valMse) || Double.isInfinite(trainLoss)
                    || (strategy.reportsTrainLoss() && Double.isNaN(trainLoss))) {
                throw new SparkCaeException(ExitCode.DIVERGED, "training diverged in epoch " + epoch
                        + " (train loss " + trainLoss + ", val MSE " + valMse + "); lower " + ConfKeys.LEARNING_RATE);
            }
            EpochLoss e = new EpochLoss(epoch, trainLoss, valMse);
            history.add(e);
            jsonl.append(line(e, fitSeconds, trainCount / fitSeconds, kl, klBeta, sharingSegments)).append('\n');
            if (valMse < bestVal - train.earlyStoppingMinDelta()) {
                bestVal = valMse;
                bestEpoch = epoch;
                best = copyWithCounts(net);
            }
            LOG.info(String.format(Locale.ROOT,
                    "epoch %d/%d done: lr %.2e, train loss %.5f, val MSE %.5f (best %.5f at epoch %d), %.1f s (%.0f samples/s)%s",
                    epoch, train.epochs(), lr, trainLoss, valMse, bestVal, bestEpoch, fitSeconds, trainCount / fitSeconds,
                    Double.isNaN(kl) ? "" : String.format(Locale.ROOT, ", val KL %.4f (beta %.4g)", kl, klBeta)));
            if (checkpoints != null && (train.checkpointEveryIterations() > 0 || (train.checkpointEveryEpochs() > 0
                    && (epoch % train.checkpointEveryEpochs() == 0 || epoch == train.epochs())))) {
                checkpoints.save(Checkpoints.State.epochEnd(epoch, history, bestEpoch, bestVal, fingerprint), net, best);
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

    /**
     * A copy of the network that keeps its iteration and epoch counts, which DL4J's clone drops: the committed
     * model carries where its learning-rate schedule and Adam's bias correction stand.
     */
    static ComputationGraph copyWithCounts(ComputationGraph net) {
        ComputationGraph copy = net.clone();
        copy.getConfiguration().setIterationCount(net.getConfiguration().getIterationCount());
        copy.getConfiguration().setEpochCount(net.getConfiguration().getEpochCount());
        return copy;
    }

    /**
     * Fits one segment of an epoch: batches [segment * segmentBatches, (segment + 1) * segmentBatches) of every
     * worker, under a training master seeded by (seed, epoch, segment). Under gradient sharing on a cluster it
     * also probes every executor afterwards: its update traffic, and the reset DL4J needs before the next
     * master (without it, executors keep publishing to the previous master's stream).
     */
    private Segment fitSegment(ComputationGraph net, JavaRDD<Tuple2<String, byte[]>> trainRows, long trainCount,
                              int epoch, int segment, int segmentBatches, int epochBatches) {
        TrainingMaster master = strategy.master(workers, segmentBatches, EpochBatches.mix(seed, epoch, -1 - segment),
                jsc.getConf().get("spark.driver.host", "127.0.0.1"));
        int from = segment * segmentBatches;
        strategy.attachProgress(master, new BatchProgressListener(epoch, train.epochs(), from, epochBatches,
                train.batchSize(), shape.elementCount()));
        SparkComputationGraph sparkNet = new SparkComputationGraph(jsc, net, master);
        JavaRDD<DataSet> batches = EpochBatches.of(trainRows, shape, normalizer, corruption, train.batchSize(),
                seed, epoch, from, from + segmentBatches).persist(StorageLevel.MEMORY_ONLY());
        long seenBefore = Math.min(trainCount, (long) from * workers * train.batchSize());
        TrainingProgressListener progress = new TrainingProgressListener(epoch, train.epochs(), trainCount, seenBefore,
                strategy.samplesPerRound(workers, segmentBatches), () -> sparkNet.getScore() / shape.elementCount());
        jsc.sc().addSparkListener(progress);
        String name = "epoch " + epoch + (segmentBatches < epochBatches ? " segment " + (segment + 1) : "");
        jsc.sc().setJobDescription("sparkcae train: epoch " + epoch + "/" + train.epochs()
                + (segmentBatches < epochBatches ? ", batches " + from + "-" + Math.min(epochBatches, from + segmentBatches)
                + " of " + epochBatches : ""));
        try (TrainingStrategy.SegmentWatch watch = strategy.watch(jsc, net, name)) {
            try {
                sparkNet.fit(strategy.feed(batches));
            } catch (Exception e) { // SparkException is checked, but Scala code throws it undeclared
                if (watch.failure() != null) {
                    throw new SparkCaeException(ExitCode.INFRASTRUCTURE, "training epoch " + epoch + " cancelled: "
                            + watch.failure() + "; rerun with --resume to continue from the last checkpoint", e);
                }
                throw e;
            } finally {
                progress.stop();
                jsc.sc().removeSparkListener(progress);
                batches.unpersist(false);
            }
            return new Segment(sparkNet.getScore(), watch.report(net));
        }
    }

    /** One fitted segment: DL4J's score, and the per-executor sharing report (null unless sharing on a cluster). */
    private record Segment(double score, Map<String, Object> sharing) {
    }

    /**
     * @param kl      mean val KL of a variational model (NaN: none), with the KL weight used in the epoch
     * @param sharing per-segment gradient-sharing reports (null or empty: none)
     */
    private static String line(EpochLoss e, double seconds, double samplesPerSecond, double kl, double klBeta,
                               List<Map<String, Object>> sharing)
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
        if (!Double.isNaN(kl)) {
            m.put("kl", kl);
            m.put("kl_beta", klBeta);
        }
        if (sharing != null && !sharing.isEmpty()) {
            m.put("sharing", sharing.get(sharing.size() - 1));
            if (sharing.size() > 1) {
                m.put("sharing_segments", sharing);
            }
        }
        return JSON.writeValueAsString(m);
    }
}
