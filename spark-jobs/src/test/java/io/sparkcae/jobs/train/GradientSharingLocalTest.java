package io.sparkcae.jobs.train;

import io.sparkcae.jobs.testing.StageDirs;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.sparkcae.jobs.testing.CliRun;
import io.sparkcae.jobs.testing.FashionMnistSlice;
import io.sparkcae.jobs.testing.LocalSpark;
import io.sparkcae.jobs.cluster.AeronTransportThreads;
import io.sparkcae.jobs.cluster.CoarseTimerSlackPartitions;
import org.apache.logging.log4j.Level;
import org.apache.logging.log4j.LogManager;
import org.apache.logging.log4j.core.LogEvent;
import org.apache.logging.log4j.core.LoggerContext;
import org.apache.logging.log4j.core.appender.AbstractAppender;
import org.apache.logging.log4j.core.config.LoggerConfig;
import org.apache.logging.log4j.core.config.Property;
import org.apache.spark.SparkContext;
import org.apache.spark.scheduler.SparkListener;
import org.apache.spark.scheduler.SparkListenerJobStart;
import org.apache.spark.scheduler.SparkListenerStageCompleted;
import org.deeplearning4j.spark.parameterserver.training.SharedTrainingMaster;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Gradient sharing (SharedTrainingMaster over Aeron on 127.0.0.1) in local mode: the Aeron endpoint
 * starts on the configured port, two workers train, and the validation error falls. In local mode both
 * workers share one JVM, so this does not prove that updates cross a network (that needs separate
 * executor JVMs).
 */
@ExtendWith(LocalSpark.class)
@Timeout(value = 5, unit = TimeUnit.MINUTES)
class GradientSharingLocalTest {
    @TempDir
    Path tmp;

    @Test
    void sharingModeTrainsAndValidationErrorFalls() throws Exception {
        Path data = FashionMnistSlice.write(tmp.resolve("fm"), 800, 50);
        String[] common = {"--data", data.toString(), "--run-dir", tmp.resolve("run").toString(),
                "--set", "train.mode=sharing", "--set", "train.workers=2", "--set", "train.epochs=3",
                "--set", "train.batch-size=32", "--set", "train.sharing-port=40321",
                "--set", "train.sharing-controller=127.0.0.1", "--set", "train.checkpoint-every-epochs=0"};
        assertEquals(0, CliRun.of(prepend("prep", common)).exitCode());
        SparkContext sc = LocalSpark.get().sparkContext();
        TrainingShuffleListener shuffle = new TrainingShuffleListener();
        sc.addSparkListener(shuffle);
        CliRun r;
        int pauses;
        try (MasterPauses masterPauses = new MasterPauses()) {
            r = CliRun.of(prepend("train", common));
            sc.listenerBus().waitUntilEmpty();
            pauses = masterPauses.count.get();
        } finally {
            sc.removeSparkListener(shuffle);
        }
        assertEquals(0, r.exitCode(), r.toString());
        // the batches are already one partition per worker: DL4J's default repartitioner would shuffle every
        // batch of every epoch through Spark's shuffle files
        assertTrue(shuffle.stages.get() >= 3, "training stages seen: " + shuffle.stages.get());
        assertEquals(0, shuffle.bytes.get(), "bytes shuffled by the training jobs");
        List<String> lines = Files.readAllLines(StageDirs.output(tmp.resolve("run"), "train").resolve("metrics.jsonl"));
        assertEquals(3, lines.size());
        ObjectMapper json = new ObjectMapper();
        double first = json.readTree(lines.get(0)).get("val_mse").asDouble();
        double last = json.readTree(lines.get(2)).get("val_mse").asDouble();
        assertTrue(last < first, "val MSE falls under gradient sharing: " + first + " -> " + last);
        assertFalse(json.readTree(lines.get(0)).has("train_loss"), "DL4J reports no score for sharing");
        // DL4J's Aeron threads (its transport's pool, whose poller sleeps 1 µs between polls, and the media
        // driver's) were started by threads that had raised their timer slack
        java.util.Map<String, Long> aeron = AeronThreadSlack.read();
        assertFalse(aeron.isEmpty(), "no Aeron threads found");
        aeron.forEach((thread, slack) -> assertEquals(CoarseTimerSlackPartitions.SLACK_NANOS, slack, thread));
        // one training master per epoch, each with its own transport: only the last one's poller may be left
        assertTrue(AeronTransportThreads.livePollers() <= 1,
                "Aeron pollers of finished epochs still spinning: " + AeronTransportThreads.livePollers());
        // epochs 2 and 3 found the previous epoch's server already down (ParameterServerHandover), so DL4J
        // neither shut it down nor paused 3 s for it
        assertEquals(0, pauses, "masters that shut the previous one's server down and paused");
    }

    /**
     * Counts DL4J's debug line for a master that finds another master's parameter server running, which it
     * shuts down and then sleeps 3 s (SharedTrainingMaster.prepareNetworkAndStuff).
     */
    private static final class MasterPauses implements AutoCloseable {
        private static final String LOGGER = SharedTrainingMaster.class.getName();
        private final AtomicInteger count = new AtomicInteger();
        private final LoggerContext context = (LoggerContext) LogManager.getContext(false);
        private final AbstractAppender appender = new AbstractAppender("sparkcae-master-pauses", null, null, true,
                Property.EMPTY_ARRAY) {
            @Override
            public void append(LogEvent event) {
                if (event.getMessage().getFormattedMessage().startsWith("Detected changed training instance")) {
                    count.incrementAndGet();
                }
            }
        };

        MasterPauses() {
            appender.start();
            LoggerConfig config = new LoggerConfig(LOGGER, Level.DEBUG, false);
            config.addAppender(appender, Level.DEBUG, null);
            context.getConfiguration().addLogger(LOGGER, config);
            context.updateLoggers();
        }

        @Override
        public void close() {
            context.getConfiguration().removeLogger(LOGGER);
            context.updateLoggers();
            appender.stop();
        }
    }

    /** Timer slack of this JVM's live Aeron threads, by "tid comm" (Linux /proc; empty elsewhere). */
    private static final class AeronThreadSlack {
        static java.util.Map<String, Long> read() throws java.io.IOException {
            java.util.Map<String, Long> out = new java.util.TreeMap<>();
            Path tasks = Path.of("/proc/self/task");
            if (!Files.isDirectory(tasks)) {
                return out;
            }
            try (var dirs = Files.list(tasks)) {
                for (Path t : dirs.toList()) {
                    try {
                        String comm = Files.readString(t.resolve("comm")).trim();
                        if (comm.startsWith("MessagesExecuto") || comm.equals("sender") || comm.equals("receiver")
                                || comm.startsWith("driver-conducto")) {
                            out.put(t.getFileName() + " " + comm,
                                    Long.parseLong(Files.readString(Path.of("/proc", t.getFileName().toString(),
                                            "timerslack_ns")).trim()));
                        }
                    } catch (java.io.IOException | NumberFormatException e) {
                        // the thread ended while being read
                    }
                }
            }
            return out;
        }
    }

    /** Shuffle bytes written by the stages of the training epochs' jobs. */
    private static final class TrainingShuffleListener extends SparkListener {
        private final java.util.Set<Integer> trainStages = java.util.concurrent.ConcurrentHashMap.newKeySet();
        private final AtomicInteger stages = new AtomicInteger();
        private final AtomicLong bytes = new AtomicLong();

        @Override
        public void onJobStart(SparkListenerJobStart job) {
            String description = job.properties() == null ? null : job.properties().getProperty("spark.job.description");
            if (description != null && description.startsWith("sparkcae train: epoch")) {
                scala.collection.JavaConverters.seqAsJavaList(job.stageIds()).forEach(id -> trainStages.add((Integer) id));
            }
        }

        @Override
        public void onStageCompleted(SparkListenerStageCompleted done) {
            if (trainStages.contains(done.stageInfo().stageId())) {
                stages.incrementAndGet();
                bytes.addAndGet(done.stageInfo().taskMetrics().shuffleWriteMetrics().bytesWritten());
            }
        }
    }

    private static String[] prepend(String first, String[] rest) {
        String[] a = new String[rest.length + 1];
        a[0] = first;
        System.arraycopy(rest, 0, a, 1, rest.length);
        return a;
    }
}
