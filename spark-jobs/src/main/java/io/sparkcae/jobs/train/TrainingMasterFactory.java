package io.sparkcae.jobs.train;

import io.sparkcae.core.config.TrainConf;
import io.sparkcae.jobs.cluster.SharingIterationListener;
import org.apache.spark.storage.StorageLevel;
import org.deeplearning4j.spark.api.RDDTrainingApproach;
import org.deeplearning4j.spark.api.Repartition;
import org.deeplearning4j.spark.api.TrainingMaster;
import org.deeplearning4j.optimize.solvers.accumulation.encoding.threshold.AdaptiveThresholdAlgorithm;
import org.deeplearning4j.spark.impl.paramavg.ParameterAveragingTrainingMaster;
import org.deeplearning4j.spark.parameterserver.training.SharedTrainingMaster;
import org.nd4j.parameterserver.distributed.conf.VoidConfiguration;

import java.util.List;

/**
 * Builds DL4J's training master from the train config: parameter averaging, or gradient sharing over
 * Aeron (with our own port supplier, see {@link ExecutorPortSupplier}). Choices that differ from DL4J's defaults, and why:
 * Direct approach (Export writes every DataSet to disk and is refused on a non-local master with a local
 * export dir); no repartitioning (our batches are already balanced per worker, and a repartition would
 * serialise every DataSet); no storage level (the caller caches the epoch's batches itself).
 */
public final class TrainingMasterFactory {
    private TrainingMasterFactory() {
    }

    public static TrainingMaster create(TrainConf train, int workers, long seed) {
        return create(train, workers, seed, "127.0.0.1");
    }

    /** @param driverHost where executors reach the driver's Aeron endpoint when no controller is configured */
    public static TrainingMaster create(TrainConf train, int workers, long seed, String driverHost) {
        return switch (train.mode()) {
            case SHARING -> {
                VoidConfiguration transport = VoidConfiguration.builder()
                        .unicastPort(train.sharingPort())
                        .portSupplier(new ExecutorPortSupplier(train.sharingPort()))
                        .controllerAddress(train.sharingController().isBlank() ? driverHost : train.sharingController())
                        .networkMask(train.sharingNetworkMask().isBlank() ? null : train.sharingNetworkMask())
                        .build();
                SharedTrainingMaster.Builder b = new SharedTrainingMaster.Builder(transport, train.batchSize())
                        .batchSizePerWorker(train.batchSize())
                        .thresholdAlgorithm(new AdaptiveThresholdAlgorithm(train.sharingThreshold()))
                        .workerPrefetchNumBatches(train.prefetchBatches())
                        .rddTrainingApproach(RDDTrainingApproach.Direct)
                        .repartitionData(Repartition.Never)
                        // the caller persisted the batches at this level; DL4J would try to persist them again
                        .storageLevel(StorageLevel.MEMORY_ONLY())
                        .rngSeed(seed)
                        .collectTrainingStats(false);
                if (train.sharingWorkersPerNode() > 0) {
                    b.workersPerNode(train.sharingWorkersPerNode());
                }
                SharedTrainingMaster master = b.build();
                // per-executor iteration and received-update counts for the epoch's metrics
                master.setListeners(List.of(new SharingIterationListener()));
                yield master;
            }
            case AVERAGING -> new ParameterAveragingTrainingMaster.Builder(workers, train.batchSize())
                    .batchSizePerWorker(train.batchSize())
                    .averagingFrequency(train.averagingFrequency())
                    .workerPrefetchNumBatches(train.prefetchBatches())
                    .rddTrainingApproach(RDDTrainingApproach.Direct)
                    .repartionData(Repartition.Never)
                    .storageLevel(null)
                    .saveUpdater(true)
                    .rngSeed(seed)
                    .collectTrainingStats(false)
                    .build();
        };
    }
}
