package io.sparkcae.jobs.train;

import org.deeplearning4j.nn.api.Model;
import org.deeplearning4j.nn.conf.ComputationGraphConfiguration;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.deeplearning4j.spark.api.TrainingHook;
import org.nd4j.linalg.dataset.api.DataSet;
import org.nd4j.linalg.dataset.api.MultiDataSet;

/**
 * Gives a worker's graph the master's iteration and epoch counts at the start of an averaging round.
 * DL4J's worker builds its graph from {@code ComputationGraphConfiguration.clone()}, which drops both counts,
 * so without this every round restarts Adam's bias correction at step 1 on top of the averaged moments
 * (a step about 0.15-0.3 times the right one) and epoch-based schedules at epoch 0.
 */
final class RoundStartCounts implements TrainingHook {
    private static final long serialVersionUID = 1L;
    private final int iteration;
    private final int epoch;

    RoundStartCounts(int iteration, int epoch) {
        this.iteration = iteration;
        this.epoch = epoch;
    }

    @Override
    public void preUpdate(MultiDataSet minibatch, Model model) {
        restore(model);
    }

    @Override
    public void preUpdate(DataSet minibatch, Model model) {
        restore(model);
    }

    @Override
    public void postUpdate(MultiDataSet minibatch, Model model) {
    }

    @Override
    public void postUpdate(DataSet minibatch, Model model) {
    }

    /**
     * Only the round's fresh copy is changed: its counts are 0 before its first fit, and from then on they are
     * at least the round's start, so later minibatches of the round leave them alone.
     */
    private void restore(Model model) {
        if (model instanceof ComputationGraph graph) {
            ComputationGraphConfiguration conf = graph.getConfiguration();
            if (conf.getIterationCount() < iteration) {
                conf.setIterationCount(iteration);
            }
            if (conf.getEpochCount() < epoch) {
                conf.setEpochCount(epoch);
            }
        }
    }
}
