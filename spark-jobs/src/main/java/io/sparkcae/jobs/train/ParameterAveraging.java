package io.sparkcae.jobs.train;

import io.sparkcae.core.config.TrainConf;
import org.apache.spark.api.java.JavaRDD;
import org.apache.spark.api.java.JavaSparkContext;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.deeplearning4j.spark.api.RDDTrainingApproach;
import org.deeplearning4j.spark.api.Repartition;
import org.deeplearning4j.spark.api.TrainingMaster;
import org.deeplearning4j.spark.impl.paramavg.ParameterAveragingTrainingMaster;
import org.nd4j.linalg.dataset.DataSet;

import java.util.List;
import java.util.Map;

/**
 * Parameter averaging: each worker fits {@code train.averaging-frequency} batches, then the driver averages
 * parameters and updater state (Adam's moments included). The master is DL4J's with the iteration and epoch
 * counts carried into every round's workers ({@link CountCarryingTrainingMaster}). Choices that differ from
 * DL4J's defaults: the Direct approach (Export writes every DataSet to disk and is refused on a non-local
 * master with a local export dir); no repartitioning (our batches are already balanced per worker); no storage
 * level (the caller caches the epoch's batches).
 */
public final class ParameterAveraging implements TrainingStrategy {
    private final TrainConf train;

    ParameterAveraging(TrainConf train) {
        this.train = train;
    }

    @Override
    public String name() {
        return "averaging";
    }

    @Override
    public TrainingMaster master(int workers, int segmentBatches, long seed, String driverHost) {
        return new CountCarryingTrainingMaster(new ParameterAveragingTrainingMaster.Builder(workers, train.batchSize())
                .batchSizePerWorker(train.batchSize())
                .averagingFrequency(averagingFrequency(workers, segmentBatches))
                .workerPrefetchNumBatches(train.prefetchBatches())
                .rddTrainingApproach(RDDTrainingApproach.Direct)
                .repartionData(Repartition.Never)
                .storageLevel(null)
                .saveUpdater(true)
                .rngSeed(seed)
                .collectTrainingStats(false));
    }

    @Override
    public JavaRDD<DataSet> feed(JavaRDD<DataSet> batches) {
        return batches;
    }

    @Override
    public void attachProgress(TrainingMaster master, BatchProgressListener progress) {
        master.setListeners(List.of(progress));
    }

    @Override
    public long samplesPerRound(int workers, int segmentBatches) {
        return (long) workers * train.batchSize() * averagingFrequency(workers, segmentBatches);
    }

    @Override
    public boolean reportsTrainLoss() {
        return true;
    }

    @Override
    public SegmentWatch watch(JavaSparkContext jsc, ComputationGraph net, String name) {
        return new SegmentWatch() {
            @Override
            public String failure() {
                return null;
            }

            @Override
            public Map<String, Object> report(ComputationGraph fitted) {
                return null;
            }

            @Override
            public void close() {
            }
        };
    }

    /**
     * One worker has nothing to average with, so it fits the whole segment as one round: plain training of the
     * segment's batches in order, saving a Spark job and a parameter broadcast per round. This is for speed
     * only: rounds of the configured frequency train one worker exactly as plain training does (each round's
     * worker starts from the driver's iteration count, see {@link CountCarryingTrainingMaster}).
     */
    int averagingFrequency(int workers, int segmentBatches) {
        return workers == 1 ? Math.max(1, segmentBatches) : train.averagingFrequency();
    }
}
