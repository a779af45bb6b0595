package io.sparkcae.jobs.train;

import org.apache.spark.scheduler.SparkListener;
import org.apache.spark.scheduler.SparkListenerJobEnd;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.Locale;
import java.util.function.DoubleSupplier;

/**
 * Logs training progress on the driver. DL4J runs one Spark job per averaging round, so each job end is a
 * natural progress tick: round, samples seen, loss, samples/s and ETA for the epoch.
 */
final class TrainingProgressListener extends SparkListener {
    private static final Logger LOG = LoggerFactory.getLogger(TrainingProgressListener.class);
    private final int epoch;
    private final int epochs;
    private final long samplesPerEpoch;
    private final long seenBefore;
    private final long samplesPerRound;
    private final DoubleSupplier loss;
    private final long start = System.nanoTime();
    private int rounds = -1; // DL4J counts the data first: that job is not a round
    private volatile boolean active = true;

    /** @param seenBefore samples of this epoch fitted before this listener's fit (earlier segments) */
    TrainingProgressListener(int epoch, int epochs, long samplesPerEpoch, long seenBefore, long samplesPerRound,
                             DoubleSupplier loss) {
        this.epoch = epoch;
        this.epochs = epochs;
        this.samplesPerEpoch = samplesPerEpoch;
        this.seenBefore = seenBefore;
        this.samplesPerRound = samplesPerRound;
        this.loss = loss;
    }

    void stop() {
        active = false;
    }

    @Override
    public void onJobEnd(SparkListenerJobEnd jobEnd) {
        if (!active) {
            return;
        }
        rounds++;
        if (rounds <= 0) {
            return;
        }
        long seen = Math.min(samplesPerEpoch, seenBefore + rounds * samplesPerRound);
        double secs = (System.nanoTime() - start) / 1e9;
        double rate = (seen - seenBefore) / Math.max(secs, 1e-9);
        double eta = (samplesPerEpoch - seen) / Math.max(rate, 1e-9);
        double l = loss.getAsDouble();
        // DL4J's score is exactly 0.0 until the master has averaged a round (and always under gradient sharing)
        String lossText = l > 0 && Double.isFinite(l) ? String.format(Locale.ROOT, "%.5f", l) : "n/a";
        LOG.info(String.format(Locale.ROOT, "epoch %d/%d round %d: %d/%d samples, loss %s, %.0f samples/s, ETA %.0f s",
                epoch, epochs, rounds, seen, samplesPerEpoch, lossText, rate, eta));
    }
}
