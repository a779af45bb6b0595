package io.sparkcae.jobs.train;

import io.sparkcae.core.config.TrainConf;
import org.deeplearning4j.spark.api.RDDTrainingApproach;
import org.deeplearning4j.spark.api.Repartition;
import org.deeplearning4j.spark.api.TrainingMaster;
import org.deeplearning4j.spark.impl.paramavg.ParameterAveragingTrainingMaster;

/**
 * Builds DL4J's training master from the train config. Choices that differ from DL4J's defaults, and why:
 * Direct approach (Export writes every DataSet to disk and is refused on a non-local master with a local
 * export dir); no repartitioning (our batches are already balanced per worker, and a repartition would
 * serialise every DataSet); no storage level (the caller caches the epoch's batches itself).
 */
public final class TrainingMasterFactory {
    private TrainingMasterFactory() {
    }

    public static TrainingMaster create(TrainConf train, int workers, long seed) {
        return switch (train.mode()) {
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
