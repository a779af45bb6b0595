package io.sparkcae.jobs.prep;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.sparkcae.core.config.ConfKeys;
import io.sparkcae.core.config.DataConf;
import io.sparkcae.core.config.SparkCaeConf;
import io.sparkcae.core.error.SparkCaeException;
import io.sparkcae.core.metrics.ChannelStats;
import io.sparkcae.core.tensor.PatchShape;
import io.sparkcae.jobs.common.Fingerprint;
import io.sparkcae.jobs.common.StageContext;
import io.sparkcae.jobs.common.StageRunner;
import io.sparkcae.prep.dataset.Manifest;
import io.sparkcae.prep.dataset.ManifestIO;
import io.sparkcae.prep.dataset.ParquetPatchWriter;
import io.sparkcae.prep.dataset.PatchSchema;
import io.sparkcae.prep.dataset.Split;
import io.sparkcae.prep.dataset.SplitAssigner;
import io.sparkcae.prep.dataset.ClipBoundsEstimator;
import io.sparkcae.prep.dataset.TrainStatsAccumulator;
import io.sparkcae.prep.patching.PatchExtractor;
import io.sparkcae.prep.readers.ImageOptions;
import io.sparkcae.prep.readers.ReadUnit;
import io.sparkcae.prep.readers.SampleReader;
import io.sparkcae.prep.readers.SampleReaderFactory;
import io.sparkcae.prep.readers.StorageConf;
import io.sparkcae.prep.readers.WindowedSampleReader;
import io.sparkcae.prep.patching.Tile;
import io.sparkcae.prep.patching.TilePlanner;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.Path;
import org.apache.spark.api.java.JavaRDD;
import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.util.CollectionAccumulator;
import org.apache.spark.util.LongAccumulator;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * The prep stage: plans read units on the driver (headers only), reads and patches them in Spark tasks,
 * writes the Parquet patch dataset with its manifest, and commits it atomically under
 * {@code <run-dir>/prep/patches}.
 */
public final class PrepJob {
    private static final Logger LOG = LoggerFactory.getLogger(PrepJob.class);

    private PrepJob() {
    }

    /**
     * One Spark task's work: a whole read unit, or one tile of the sample at {@code position} of the unit
     * (when the sample is larger than the per-task byte budget).
     */
    record Task(int reader, ReadUnit unit, int position, Tile tile) implements java.io.Serializable {
        Task(int reader, ReadUnit unit) {
            this(reader, unit, -1, null);
        }
    }

    public static Map<String, Object> run(SparkSession spark, StageContext ctx) throws Exception {
        SparkCaeConf conf = ctx.conf();
        DataConf data = conf.data();
        long t0 = System.nanoTime();
        // The Spark session's Hadoop configuration, so spark.hadoop.* settings (e.g. an S3 endpoint) reach the readers
        // on the driver and, inside the serialized readers, on the executors.
        List<SampleReader> readers = SampleReaderFactory.open(data.effectiveInput(), data.format(), ImageOptions.of(data),
                data.hdf5Dataset(), StorageConf.of(spark.sparkContext().hadoopConfiguration()));
        PatchExtractor extractor = new PatchExtractor(conf.patch(), data.nanPolicy(), conf.seed());
        List<Task> tasks = plan(readers, conf, extractor);
        Configuration hadoop = spark.sparkContext().hadoopConfiguration();
        String fingerprint = Fingerprint.of("prep", conf.toJson(), InputFingerprint.of(data.effectiveInput(), hadoop));
        return StageRunner.run(ctx, StageContext.PREP_DIR, fingerprint, hadoop,
                dir -> write(spark, conf, readers, extractor, tasks, dir, t0));
    }

    private static Map<String, Object> write(SparkSession spark, SparkCaeConf conf, List<SampleReader> readers,
                                             PatchExtractor extractor, List<Task> tasks, String dir, long t0)
            throws java.io.IOException {
        DataConf data = conf.data();
        Configuration hadoop = spark.sparkContext().hadoopConfiguration();
        String patchesTmp = new Path(dir, StageContext.PATCHES).toString();
        SplitAssigner splits = new SplitAssigner(data.valFraction(), data.testFraction(), data.testSources());
        JavaSparkContext jsc = JavaSparkContext.fromSparkContext(spark.sparkContext());
        LongAccumulator nonFinite = spark.sparkContext().longAccumulator("patches dropped: NaN/Inf");
        LongAccumulator lowVariance = spark.sparkContext().longAccumulator("patches dropped: low variance");
        CollectionAccumulator<String> geometry = spark.sparkContext().collectionAccumulator("source shapes");
        TrainStatsAccumulator trainStats = new TrainStatsAccumulator(data.channels());
        spark.sparkContext().register(trainStats, "train channel statistics");
        spark.sparkContext().setJobDescription("sparkcae prep: read + patch " + tasks.size() + " units");
        JavaRDD<Row> rows = jsc.parallelize(tasks, Math.max(1, tasks.size()))
                .flatMap(new PatchRowFunction(readers, extractor, splits, nonFinite, lowVariance, geometry, trainStats));
        if (conf.prep().partitions() > 0) {
            rows = rows.coalesce(conf.prep().partitions());
        }
        ParquetPatchWriter.Written written = new ParquetPatchWriter(spark).write(rows, patchesTmp, trainStats);
        spark.sparkContext().setJobDescription(null);
        long total = written.counts().values().stream().mapToLong(Long::longValue).sum();
        if (total == 0) {
            throw SparkCaeException.badData(data.effectiveInput() + ": no patches were produced (empty input?)");
        }
        if (written.shapes().size() > 1) {
            throw SparkCaeException.badData(data.effectiveInput() + ": patches of different shapes "
                    + written.shapes() + "; set " + ConfKeys.RESIZE_POLICY + " or " + ConfKeys.PATCH_SIZE);
        }
        if (written.counts().get(Split.TRAIN.columnValue()) == 0) {
            throw SparkCaeException.badData(data.effectiveInput() + ": the train split is empty");
        }
        PatchShape shape = PatchShape.of(PatchSchema.ints(written.shapes().get(0).getList(0)));
        double[][] clip = null;
        if (data.clipPercentiles().length == 2) {
            spark.sparkContext().setJobDescription("sparkcae prep: percentile clip bounds (sampled)");
            clip = ClipBoundsEstimator.estimate(spark.read().schema(PatchSchema.SCHEMA).parquet(patchesTmp)
                            .filter(org.apache.spark.sql.functions.col(PatchSchema.SPLIT).equalTo(Split.TRAIN.columnValue())),
                    written.counts().get(Split.TRAIN.columnValue()), shape.channels(), shape.elementCount(),
                    data.clipPercentiles()[0], data.clipPercentiles()[1], conf.seed());
        }
        Map<String, Long> dropped = new LinkedHashMap<>();
        dropped.put("non_finite", nonFinite.value());
        dropped.put("low_variance", lowVariance.value());
        Manifest manifest = new Manifest(PatchSchema.VERSION, shape.dims(), shape.channels(), written.counts(),
                dropped, channelStats(written.trainStats(), clip), sources(geometry.value()),
                new ObjectMapper().readTree(conf.toJson()));
        ManifestIO.write(manifest, patchesTmp, hadoop);

        double seconds = (System.nanoTime() - t0) / 1e9;
        Map<String, Object> metrics = new LinkedHashMap<>();
        metrics.put("patches", total);
        metrics.put("counts", written.counts());
        metrics.put("dropped", dropped);
        metrics.put("skipped_hidden_files", readers.stream().mapToLong(SampleReader::skippedFiles).sum());
        metrics.put("patch_shape", java.util.Arrays.stream(shape.dims()).boxed().toList());
        metrics.put("train_mean", written.trainStats().mean(0));
        metrics.put("train_std", written.trainStats().std(0));
        metrics.put("wall_s", Math.round(seconds * 10) / 10.0);
        LOG.info("prep: {} patches of shape {} (train {}, val {}, test {}) in {} s", total, shape,
                written.counts().get("train"), written.counts().get("val"), written.counts().get("test"),
                String.format(Locale.ROOT, "%.1f", seconds));
        return metrics;
    }

    /** Read units of every reader, cut to max-samples-per-source when set. */
    static List<Task> plan(List<SampleReader> readers, SparkCaeConf conf, PatchExtractor extractor) {
        long limit = conf.data().maxSamplesPerSource();
        List<Task> tasks = new ArrayList<>();
        for (int r = 0; r < readers.size(); r++) {
            long left = limit == 0 ? Long.MAX_VALUE : limit;
            for (ReadUnit u : readers.get(r).plan(conf.prep().recordsPerTask())) {
                if (left <= 0) {
                    break;
                }
                ReadUnit cut = u;
                if (u.count() > left) {
                    cut = u.paths().size() > 1
                            ? new ReadUnit(new ArrayList<>(u.paths().subList(0, (int) left)), u.labelsPath(), u.start(), left)
                            : new ReadUnit(u.paths(), u.labelsPath(), u.start(), left);
                }
                tasks.addAll(tile(r, readers.get(r), cut, extractor, conf.prep().maxTaskBytes()));
                left -= cut.count();
            }
        }
        return tasks;
    }

    /** The unit as one task, or one task per tile of each sample when its samples exceed the budget. */
    private static List<Task> tile(int r, SampleReader reader, ReadUnit unit, PatchExtractor extractor, long budget) {
        if (extractor.wholeSample() || !(reader instanceof WindowedSampleReader windowed)) {
            return List.of(new Task(r, unit));
        }
        PatchShape first = windowed.sampleShape(unit, 0);
        if (TilePlanner.sampleBytes(first) <= budget) {
            return List.of(new Task(r, unit));
        }
        List<Task> tasks = new ArrayList<>();
        for (int position = 0; position < unit.count(); position++) {
            PatchShape shape = windowed.sampleShape(unit, position);
            extractor.patchShape(String.valueOf(unit.paths()), shape);
            for (Tile t : TilePlanner.plan(extractor, shape, budget)) {
                tasks.add(new Task(r, unit, position, t));
            }
        }
        LOG.info("prep: samples of {} ({} MB) exceed prep.max-task-bytes; reading them in {} tile tasks",
                first, TilePlanner.sampleBytes(first) >> 20, tasks.size());
        return tasks;
    }

    private static List<Manifest.ChannelStat> channelStats(ChannelStats s, double[][] clip) {
        List<Manifest.ChannelStat> out = new ArrayList<>();
        for (int c = 0; c < s.channels(); c++) {
            out.add(new Manifest.ChannelStat(c, s.mean(c), s.std(c), s.min(c), s.max(c),
                    clip == null ? null : clip[0][c], clip == null ? null : clip[1][c]));
        }
        return out;
    }

    /** Each source's sample shape (what reassembly rebuilds) and how many samples it gave. */
    private static List<Manifest.SourceInfo> sources(List<String> geometry) {
        java.util.TreeMap<String, String> shapes = new java.util.TreeMap<>();
        for (String g : new java.util.TreeSet<>(geometry)) {
            // split at the last tab: a source name may itself contain tabs, the shape never does
            int tab = g.lastIndexOf('\t');
            String[] parts = {g.substring(0, tab), g.substring(tab + 1)};
            String prev = shapes.putIfAbsent(parts[0], parts[1]);
            if (prev != null && !prev.equals(parts[1])) {
                throw SparkCaeException.badData(parts[0] + ": samples of different shapes (" + prev + " and "
                        + parts[1] + ") in one source");
            }
        }
        List<Manifest.SourceInfo> out = new ArrayList<>();
        shapes.forEach((name, shape) -> out.add(new Manifest.SourceInfo(name,
                java.util.Arrays.stream(shape.split("x")).mapToInt(Integer::parseInt).toArray())));
        return out;
    }

}
