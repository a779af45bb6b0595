package io.sparkcae.jobs.train;

import org.deeplearning4j.nn.conf.ComputationGraphConfiguration;
import org.deeplearning4j.spark.api.TrainingHook;
import org.deeplearning4j.spark.impl.graph.SparkComputationGraph;
import org.deeplearning4j.spark.impl.paramavg.ParameterAveragingTrainingMaster;
import org.deeplearning4j.spark.impl.paramavg.ParameterAveragingTrainingWorker;

import java.util.ArrayList;
import java.util.Collection;
import java.util.List;

/**
 * DL4J's parameter averaging with the iteration and epoch counts carried into every round's workers. The
 * master keeps counting rounds on the driver's graph, but each worker rebuilds the graph from a clone of the
 * configuration that loses the counts; this master hands every round's workers the driver's counts at the
 * round's start ({@link RoundStartCounts}), so one worker averaging every N batches trains exactly as plain
 * training of the same batches does.
 */
final class CountCarryingTrainingMaster extends ParameterAveragingTrainingMaster {
    private static final long serialVersionUID = 1L;

    CountCarryingTrainingMaster(Builder builder) {
        super(builder);
    }

    /** Called once per round, just before the round's Spark job: the driver's counts are the round's start. */
    @Override
    public ParameterAveragingTrainingWorker getWorkerInstance(SparkComputationGraph graph) {
        ComputationGraphConfiguration conf = graph.getNetwork().getConfiguration();
        Collection<TrainingHook> configured = getTrainingHookList();
        // The worker keeps a reference to this list: a list of the round's own, so rounds never pile up hooks.
        // The counts go first, so that configured hooks already see them.
        List<TrainingHook> round = new ArrayList<>();
        round.add(new RoundStartCounts(conf.getIterationCount(), conf.getEpochCount()));
        if (configured != null) {
            round.addAll(configured);
        }
        setTrainingHookList(round);
        try {
            return super.getWorkerInstance(graph);
        } finally {
            setTrainingHookList(configured);
        }
    }
}
