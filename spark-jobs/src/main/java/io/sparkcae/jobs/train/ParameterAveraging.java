package io.sparkcae.jobs.train;

import io.sparkcae.core.config.TrainConf;
import org.apache.spark.api.java.JavaSparkContext;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.deeplearning4j.spark.api.RDDTrainingApproach;
import org.deeplearning4j.spark.api.Repartition;
import org.deeplearning4j.spark.api.TrainingMaster;
import org.deeplearning4j.spark.impl.paramavg.ParameterAveragingTrainingMaster;

import java.util.List;
import java.util.Map;

/**
 * Parameter averaging: each worker fits {@code train.averaging-frequency} batches, then the driver averages
 * parameters and updater state. Choices that differ from DL4J's defaults: the Direct approach (Export writes
 * every DataSet to disk and is refused on a non-local master with a local export dir); no repartitioning (our
 * batches are already balanced per worker); no storage level (the caller caches the epoch's batches).
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
     * One worker has nothing to average with, so it fits the whole segment as one round. This also avoids a
     * loss measured with DL4J's parameter averaging of a ComputationGraph: with rounds of 10 batches, one
     * epoch of the default net on Fashion-MNIST reached val MSE 0.0216 against 0.0188 with one round per
     * epoch (and 0.0187 for the same net as a MultiLayerNetwork at 10), as if Adam's state did not carry
     * across rounds; with several workers the configured frequency stands (README, known issues).
     */
    int averagingFrequency(int workers, int segmentBatches) {
        return workers == 1 ? Math.max(1, segmentBatches) : train.averagingFrequency();
    }
}
