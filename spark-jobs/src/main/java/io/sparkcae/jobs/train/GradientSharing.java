package io.sparkcae.jobs.train;

import io.sparkcae.core.config.TrainConf;
import io.sparkcae.jobs.cluster.AeronTransportThreads;
import io.sparkcae.jobs.cluster.CoarseTimerSlackPartitions;
import io.sparkcae.jobs.cluster.ParameterServerHandover;
import io.sparkcae.jobs.cluster.SharingEpochProbe;
import io.sparkcae.jobs.cluster.SharingEpochReport;
import io.sparkcae.jobs.cluster.SharingIterationListener;
import io.sparkcae.jobs.cluster.SharingWatchdog;
import io.sparkcae.jobs.cluster.ThreadTimerSlack;
import org.apache.spark.api.java.JavaRDD;
import org.apache.spark.api.java.JavaSparkContext;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.deeplearning4j.optimize.solvers.accumulation.encoding.threshold.AdaptiveThresholdAlgorithm;
import org.deeplearning4j.spark.api.RDDTrainingApproach;
import org.deeplearning4j.spark.api.Repartition;
import org.deeplearning4j.spark.api.TrainingMaster;
import org.deeplearning4j.spark.impl.repartitioner.NoOpRepartitioner;
import org.deeplearning4j.spark.parameterserver.training.SharedTrainingMaster;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.dataset.DataSet;
import org.nd4j.parameterserver.distributed.conf.VoidConfiguration;
import org.nd4j.parameterserver.distributed.v2.ModelParameterServer;
import org.nd4j.parameterserver.distributed.v2.transport.Transport;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.OptionalLong;

/**
 * Gradient sharing over Aeron: workers exchange thresholded, quantised updates after every batch. Our own
 * port supplier gives each executor JVM its own port ({@link ExecutorPortSupplier}). On a cluster every
 * fitted segment is watched (a lost executor stalls DL4J's mesh: {@link SharingWatchdog}) and probed
 * afterwards: per-executor traffic, and the reset DL4J needs before the next master (without it, executors
 * keep publishing to the previous master's stream).
 */
public final class GradientSharing implements TrainingStrategy {
    private static final Logger LOG = LoggerFactory.getLogger(GradientSharing.class);
    private final TrainConf train;

    GradientSharing(TrainConf train) {
        this.train = train;
    }

    @Override
    public String name() {
        return "sharing";
    }

    @Override
    public TrainingMaster master(int workers, int segmentBatches, long seed, String driverHost) {
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
                // DL4J's builder installs its DefaultRepartitioner whatever repartitionData says, and that
                // shuffles every batch through Spark's shuffle files each epoch: our batches are already one
                // partition per worker, in the order resume depends on
                .repartitioner(new NoOpRepartitioner())
                // the caller persisted the batches; DL4J must not persist what feed() wraps around them, or the
                // wrapper would run in DL4J's counting job instead of the training task
                .storageLevel(null)
                .rngSeed(seed)
                .collectTrainingStats(false);
        if (train.sharingWorkersPerNode() > 0) {
            b.workersPerNode(train.sharingWorkersPerNode());
        }
        SharedTrainingMaster master = b.build();
        // per-executor iteration and received-update counts for the epoch's metrics
        master.setListeners(List.of(new SharingIterationListener()));
        return master;
    }

    /**
     * Each training task first raises its thread's timer slack, so the Aeron threads DL4J's worker starts in
     * it poll about every millisecond instead of every 50 µs ({@link ThreadTimerSlack}).
     */
    @Override
    public JavaRDD<DataSet> feed(JavaRDD<DataSet> batches) {
        return batches.mapPartitions(new CoarseTimerSlackPartitions<>(), true);
    }

    /** The master's own listener counts each executor's traffic; setting another would replace it. */
    @Override
    public void attachProgress(TrainingMaster master, BatchProgressListener progress) {
    }

    @Override
    public long samplesPerRound(int workers, int segmentBatches) {
        return (long) workers * train.batchSize();
    }

    @Override
    public boolean reportsTrainLoss() {
        return false;
    }

    @Override
    public SegmentWatch watch(JavaSparkContext jsc, ComputationGraph net, String name) {
        // in local mode every worker shares the driver's JVM: nothing crosses a network to watch or probe
        INDArray paramsBefore = jsc.isLocal() ? null : net.params().dup();
        SharingWatchdog watchdog = new SharingWatchdog(jsc, name, Duration.ofSeconds(train.sharingEpochTimeout()));
        LOG.info("{}: gradient sharing starts (driver UDP port {}, initial threshold {})", name, train.sharingPort(),
                train.sharingThreshold());
        // The driver's transport of the previous segment: this segment's master replaces it with a new one
        Transport previous = ModelParameterServer.getInstance().getTransport();
        AeronTransportThreads previousThreads = AeronTransportThreads.of(previous);
        ParameterServerHandover.retirePrevious();
        // the driver's new transport is launched by this thread inside the fit: its threads inherit the slack
        OptionalLong slackBefore = ThreadTimerSlack.raise(CoarseTimerSlackPartitions.SLACK_NANOS);
        return new SegmentWatch() {
            @Override
            public String failure() {
                return watchdog.failure();
            }

            @Override
            public Map<String, Object> report(ComputationGraph fitted) {
                if (paramsBefore == null) {
                    return null;
                }
                SharingEpochReport report = SharingEpochReport.of(SharingEpochProbe.run(jsc, Duration.ofSeconds(120)),
                        paramsBefore, fitted.params());
                LOG.info("{}: {}", name, report.toLogLine());
                return report.toMetrics();
            }

            @Override
            public void close() {
                slackBefore.ifPresent(ThreadTimerSlack::set);
                watchdog.close();
                if (previous != null && previous != ModelParameterServer.getInstance().getTransport()) {
                    previous.shutdown(); // idempotent: ParameterServerHandover or DL4J shut it down already
                    previousThreads.end();
                }
            }
        };
    }
}
