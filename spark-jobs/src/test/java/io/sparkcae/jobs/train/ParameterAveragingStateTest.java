package io.sparkcae.jobs.train;

import io.sparkcae.core.config.SparkCaeConf;
import io.sparkcae.core.config.TrainConf;
import io.sparkcae.core.config.TrainConf.TrainingMode;
import io.sparkcae.core.model.CaeNetworkBuilder;
import io.sparkcae.core.tensor.PatchShape;
import io.sparkcae.jobs.testing.LocalSpark;
import org.apache.spark.api.java.JavaSparkContext;
import org.deeplearning4j.nn.api.Model;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.deeplearning4j.spark.api.RDDTrainingApproach;
import org.deeplearning4j.spark.api.Repartition;
import org.deeplearning4j.spark.api.TrainingHook;
import org.deeplearning4j.spark.impl.graph.SparkComputationGraph;
import org.deeplearning4j.spark.impl.paramavg.ParameterAveragingTrainingMaster;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.ExtendWith;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.dataset.DataSet;
import org.nd4j.linalg.dataset.api.MultiDataSet;
import org.nd4j.linalg.factory.Nd4j;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * What must survive an averaging round of a ComputationGraph. With one worker there is nothing to average, so
 * rounds of parameter averaging must give exactly what plain training of the same batches in the same order
 * gives: same parameters, same Adam state, same iteration count. DL4J's worker rebuilds the graph from a clone
 * of the broadcast configuration, and that clone drops the iteration count that Adam's bias correction reads.
 */
@ExtendWith(LocalSpark.class)
@Timeout(value = 5, unit = TimeUnit.MINUTES)
class ParameterAveragingStateTest {
    private static final PatchShape SHAPE = PatchShape.of(1, 28, 28);
    private static final int BATCH = 8;
    private static final int ROUNDS = 3;
    private static final int ROUND_BATCHES = 2;

    @Test
    void oneWorkerRoundsEqualPlainTrainingOfTheSameBatches() {
        SparkCaeConf conf = SparkCaeConf.defaults();
        TrainConf train = conf.train().forBenchmark(BATCH, TrainingMode.AVERAGING, 1);
        ComputationGraph averaged = new CaeNetworkBuilder(conf.model(), SHAPE)
                .build(train.learningRate(), conf.seed()).network();
        ComputationGraph plain = averaged.clone();
        List<List<DataSet>> rounds = rounds(conf.seed());

        JavaSparkContext jsc = JavaSparkContext.fromSparkContext(LocalSpark.get().sparkContext());
        for (List<DataSet> round : rounds) {
            // One fit per round: the worker of each round must start from the state the previous one left.
            SparkComputationGraph sparkNet = new SparkComputationGraph(jsc, averaged,
                    TrainingStrategy.of(train).master(1, ROUND_BATCHES, conf.seed(), "127.0.0.1"));
            sparkNet.fit(jsc.parallelize(round, 1));
            for (DataSet ds : round) {
                plain.fit(ds);
            }
        }

        int fitted = ROUNDS * ROUND_BATCHES;
        assertEquals(fitted, plain.getConfiguration().getIterationCount());
        assertEquals(fitted, averaged.getConfiguration().getIterationCount(), "master's iteration count");
        assertClose("Adam state", plain.getUpdater().getStateViewArray(), averaged.getUpdater().getStateViewArray());
        assertClose("parameters", plain.params(), averaged.params());
    }

    @Test
    void everyWorkerStartsEachRoundAtTheDriversIterationCount() {
        SparkCaeConf conf = SparkCaeConf.defaults();
        ComputationGraph net = new CaeNetworkBuilder(conf.model(), SHAPE).build(1e-3, conf.seed()).network();
        JavaSparkContext jsc = JavaSparkContext.fromSparkContext(LocalSpark.get().sparkContext());
        int workers = 2;
        CountProbe.SEEN.clear();
        for (List<DataSet> round : rounds(conf.seed())) {
            // Two workers, one batch each per round (frequency 1): each round is one Spark job.
            CountCarryingTrainingMaster master = new CountCarryingTrainingMaster(
                    new ParameterAveragingTrainingMaster.Builder(workers, BATCH).batchSizePerWorker(BATCH)
                            .averagingFrequency(1).rddTrainingApproach(RDDTrainingApproach.Direct)
                            .repartionData(Repartition.Never).storageLevel(null).saveUpdater(true)
                            .trainingHooks(new CountProbe()));
            new SparkComputationGraph(jsc, net, master).fit(jsc.parallelize(round, workers));
        }
        List<Integer> seen = new ArrayList<>(CountProbe.SEEN);
        seen.sort(null);
        // Round r (0-based) starts at r on the driver; each of the two workers fits one batch from there.
        assertEquals(List.of(0, 0, 1, 1, 2, 2), seen, "worker iteration counts before each fit");
        assertEquals(ROUNDS, net.getConfiguration().getIterationCount());
    }

    /** Records a worker graph's iteration count before each fit (workers share this JVM in local mode). */
    static final class CountProbe implements TrainingHook {
        static final List<Integer> SEEN = new CopyOnWriteArrayList<>();

        @Override
        public void preUpdate(MultiDataSet minibatch, Model model) {
            SEEN.add(((ComputationGraph) model).getConfiguration().getIterationCount());
        }

        @Override
        public void preUpdate(org.nd4j.linalg.dataset.api.DataSet minibatch, Model model) {
        }

        @Override
        public void postUpdate(MultiDataSet minibatch, Model model) {
        }

        @Override
        public void postUpdate(org.nd4j.linalg.dataset.api.DataSet minibatch, Model model) {
        }
    }

    private static List<List<DataSet>> rounds(long seed) {
        Nd4j.getRandom().setSeed(seed);
        List<List<DataSet>> rounds = new ArrayList<>();
        for (int r = 0; r < ROUNDS; r++) {
            List<DataSet> round = new ArrayList<>();
            for (int b = 0; b < ROUND_BATCHES; b++) {
                INDArray x = Nd4j.rand(SHAPE.batchShape(BATCH));
                round.add(new DataSet(x, x));
            }
            rounds.add(round);
        }
        return rounds;
    }

    /** Equal up to float rounding: the largest difference is tiny against the largest magnitude. */
    private static void assertClose(String what, INDArray expected, INDArray actual) {
        double diff = expected.sub(actual).amaxNumber().doubleValue();
        double scale = expected.amaxNumber().doubleValue();
        assertTrue(diff <= 1e-4 * scale, what + " differ: max |diff| " + diff + " against max |value| " + scale);
    }
}
