package io.sparkcae.jobs.train;

import io.sparkcae.core.config.TrainConf;
import org.apache.spark.api.java.JavaRDD;
import org.apache.spark.api.java.JavaSparkContext;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.deeplearning4j.spark.api.TrainingMaster;
import org.nd4j.linalg.dataset.DataSet;

import java.util.Map;

/**
 * How workers combine their work: parameter averaging or gradient sharing. Chosen once from
 * {@code train.mode} ({@link #of}); the training loop and the benchmarks ask the strategy and never branch on
 * the mode themselves.
 */
public sealed interface TrainingStrategy permits ParameterAveraging, GradientSharing {

    /** The strategy for {@code train.mode}: the one place that branches on it. */
    static TrainingStrategy of(TrainConf train) {
        return switch (train.mode()) {
            case AVERAGING -> new ParameterAveraging(train);
            case SHARING -> new GradientSharing(train);
        };
    }

    /** The mode's name in config and output (averaging | sharing). */
    String name();

    /**
     * DL4J's training master for one fitted segment of {@code segmentBatches} batches per worker.
     *
     * @param driverHost where executors reach the driver when the transport needs it
     */
    TrainingMaster master(int workers, int segmentBatches, long seed, String driverHost);

    /**
     * The epoch's batches as this strategy's training master should receive them (already built, persisted and
     * partitioned one per worker by the caller).
     */
    JavaRDD<DataSet> feed(JavaRDD<DataSet> batches);

    /** Attaches the per-batch progress log of the workers to {@code master}, where the strategy allows it. */
    void attachProgress(TrainingMaster master, BatchProgressListener progress);

    /** Samples between two driver-side progress updates (an averaging round, or one batch of every worker). */
    long samplesPerRound(int workers, int segmentBatches);

    /** Whether DL4J reports a training score under this strategy (gradient sharing leaves it at 0.0). */
    boolean reportsTrainLoss();

    /**
     * Starts watching one fitted segment; the returned watch is closed after the fit and says what it saw.
     *
     * @param name names the segment in the watchdog's messages
     */
    SegmentWatch watch(JavaSparkContext jsc, ComputationGraph net, String name);

    /** What a strategy observes around one fitted segment. */
    interface SegmentWatch extends AutoCloseable {
        /** Why the segment was cancelled (e.g. a lost executor under gradient sharing), or null. */
        String failure();

        /** Per-executor traffic of the finished segment for the epoch's metrics, or null when there is none. */
        Map<String, Object> report(ComputationGraph net);

        @Override
        void close();
    }
}
