package io.sparkcae.jobs.train;

import org.deeplearning4j.nn.api.Model;
import org.deeplearning4j.optimize.api.BaseTrainingListener;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.Serializable;
import java.util.Locale;

/**
 * Logs progress from inside a training worker every few mini-batches: epoch, batch, loss, samples/s and ETA.
 * The driver-side {@link TrainingProgressListener} only sees averaging rounds, and a single local worker fits a
 * whole segment as one round, so this is what shows progress there (on a cluster, in each executor's log).
 */
final class BatchProgressListener extends BaseTrainingListener implements Serializable {
    private static final long serialVersionUID = 1L;
    private static final Logger LOG = LoggerFactory.getLogger(BatchProgressListener.class);
    private final int epoch;
    private final int epochs;
    private final int firstBatch;
    private final int epochBatches;
    private final int batchSize;
    private final double elementsPerSample;
    private final int every;
    private transient long start;
    private transient int seen;

    BatchProgressListener(int epoch, int epochs, int firstBatch, int epochBatches, int batchSize,
                          double elementsPerSample) {
        this.epoch = epoch;
        this.epochs = epochs;
        this.firstBatch = firstBatch;
        this.epochBatches = epochBatches;
        this.batchSize = batchSize;
        this.elementsPerSample = elementsPerSample;
        this.every = Math.max(1, epochBatches / 20);
    }

    @Override
    public void iterationDone(Model model, int iteration, int ignoredEpoch) {
        if (start == 0) {
            start = System.nanoTime();
        }
        seen++;
        int batch = Math.min(epochBatches, firstBatch + seen);
        if (seen % every != 0 && batch != epochBatches) {
            return;
        }
        double secs = Math.max(1e-9, (System.nanoTime() - start) / 1e9);
        double rate = seen * (double) batchSize / secs;
        double eta = (epochBatches - batch) * (double) batchSize / Math.max(rate, 1e-9);
        // DL4J's score is the per-sample sum over all pixels/voxels: per-element like the val MSE
        LOG.info(String.format(Locale.ROOT, "epoch %d/%d batch %d/%d: loss %.5f, %.0f samples/s, ETA %.0f s",
                epoch, epochs, batch, epochBatches, model.score() / elementsPerSample, rate, eta));
    }
}
