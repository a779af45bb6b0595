package io.sparkcae.core.config;

import org.junit.jupiter.api.Test;

import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class BatchScopeTest {

    @Test
    void perWorkerScopeIsTheDefaultAndKeepsTheBatchOnEveryWorker() {
        TrainConf t = SparkCaeConf.defaults().train();
        assertEquals(TrainConf.BatchScope.WORKER, t.batchScope());
        assertEquals(128, t.workerBatchSize(4));
        assertEquals(128, t.forWorkers(4).batchSize());
    }

    @Test
    void globalScopeSplitsTheBatchAcrossTheWorkersRoundingDown() {
        TrainConf t = SparkCaeConf.defaults().with(Map.of("train.batch-scope", "global", "train.batch-size", 100))
                .train();
        assertEquals(100, t.workerBatchSize(1));
        assertEquals(50, t.workerBatchSize(2));
        assertEquals(33, t.workerBatchSize(3));
        TrainConf split = t.forWorkers(4);
        assertEquals(25, split.batchSize());
        // the split settings describe one worker: splitting them again changes nothing
        assertEquals(TrainConf.BatchScope.WORKER, split.batchScope());
        assertEquals(25, split.forWorkers(4).batchSize());
        assertEquals(t.averagingFrequency(), split.averagingFrequency());
    }

    @Test
    void aSplitBatchRaisesTheRateByAnEighthPerDoublingOfTheWorkers() {
        TrainConf t = SparkCaeConf.defaults().with(Map.of("train.batch-scope", "global", "train.learning-rate", 0.008))
                .train();
        assertEquals(TrainConf.LrWorkerScaling.LOG, t.lrWorkerScaling());
        assertEquals(0.008, t.forWorkers(1).learningRate(), 1e-12);
        assertEquals(0.009, t.forWorkers(2).learningRate(), 1e-12);
        assertEquals(0.010, t.forWorkers(4).learningRate(), 1e-12);
        assertEquals(0.011, t.forWorkers(8).learningRate(), 1e-12);
        // the worker settings are final: splitting them again changes neither batch nor rate
        assertEquals(0.010, t.forWorkers(4).forWorkers(4).learningRate(), 1e-12);
    }

    @Test
    void theRateStaysAsConfiguredWithoutScalingOrWithABatchOnEveryWorker() {
        TrainConf none = SparkCaeConf.defaults().with(Map.of("train.batch-scope", "global",
                "train.lr-worker-scaling", "none")).train();
        assertEquals(none.learningRate(), none.forWorkers(4).learningRate());
        TrainConf worker = SparkCaeConf.defaults().train();
        assertEquals(worker.learningRate(), worker.forWorkers(4).learningRate());
    }

    @Test
    void anUnknownScopeNamesTheKey() {
        Exception e = assertThrows(RuntimeException.class,
                () -> SparkCaeConf.defaults().with(Map.of("train.batch-scope", "node")));
        assertTrue(e.getMessage().contains("sparkcae.train.batch-scope"), e.getMessage());
    }
}
