package io.sparkcae.jobs.cluster;

import org.deeplearning4j.nn.api.Model;
import org.deeplearning4j.optimize.api.BaseTrainingListener;

import java.io.Serializable;

/**
 * Rides along with every gradient-sharing worker (SharedTrainingMaster ships its listeners to the executors
 * and sets them on the model each executor trains): counts the executor's iterations and, on the first one
 * of an epoch, attaches the received-updates counter to the parameter server DL4J has just started there.
 */
public final class SharingIterationListener extends BaseTrainingListener implements Serializable {
    private static final long serialVersionUID = 1L;

    @Override
    public void iterationDone(Model model, int iteration, int epoch) {
        SharingExecutorState.countIteration();
    }
}
