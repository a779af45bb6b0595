package io.sparkcae.jobs.bench;

import io.sparkcae.core.config.LayeredConfigLoader;
import io.sparkcae.core.config.SparkCaeConf;
import io.sparkcae.jobs.common.IfExists;
import io.sparkcae.jobs.common.SparkSessionFactory;
import io.sparkcae.jobs.common.StageContext;
import io.sparkcae.jobs.prep.PrepJob;
import io.sparkcae.prep.samples.SimParams;
import io.sparkcae.prep.samples.SimulationWriter;
import org.apache.spark.api.java.JavaRDD;
import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructField;
import org.apache.spark.sql.types.StructType;

import javax.imageio.ImageIO;
import java.awt.image.BufferedImage;
import java.awt.image.WritableRaster;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.function.Consumer;

import static io.sparkcae.jobs.bench.TrainBench.emit;
import static io.sparkcae.jobs.bench.TrainBench.round2;

/**
 * Prep throughput on generated inputs (a 16-bit TIFF and a 4-channel simulation time series as NPY),
 * against the reference of Spark writing the same number of float values as Parquet array&lt;float&gt; rows
 * with no reading or patching at all.
 */
public final class PrepBench {
    /** One input to prep: how to make it and the prep overrides that patch it. */
    public record Case(String name, Consumer<Path> writer, List<String> overrides) {
    }

    private final List<Case> cases = new ArrayList<>();

    public PrepBench(int tiffSide, int volumeSide, int volumeSteps) {
        cases.add(new Case("prep_tiff16_" + tiffSide + "_patch64_stride32", dir -> writeTiff(dir, tiffSide),
                List.of("patch.size=[64,64]", "patch.stride=[32,32]", "data.val-fraction=0.1")));
        cases.add(new Case("prep_npy_" + volumeSteps + "x4x" + volumeSide + "^3_patch16_stride8",
                dir -> writeSimulation(dir, volumeSide, volumeSteps),
                List.of("data.format=npy", "patch.size=[16,16,16]", "patch.stride=[8,8,8]",
                        "prep.records-per-task=5", "data.val-fraction=0.1", "data.test-fraction=0.1")));
    }

    public void run(PrintStream out) throws Exception {
        SparkSession spark = SparkSessionFactory.getOrCreate("bench");
        for (Case c : cases) {
            Path dir = Files.createTempDirectory("sparkcae-prep-bench");
            try {
                Path input = Files.createDirectories(dir.resolve("input"));
                c.writer().accept(input);
                long inputBytes;
                try (var s = Files.walk(input)) {
                    inputBytes = s.filter(Files::isRegularFile).mapToLong(p -> p.toFile().length()).sum();
                }
                List<String> sets = new ArrayList<>(c.overrides());
                sets.add("data.input=" + input);
                SparkCaeConf conf = LayeredConfigLoader.load(null, sets);
                // Each side runs twice and the second run is timed: the first pays for JIT and Spark SQL's
                // cold query planning, which would otherwise count against whichever side runs first.
                Map<String, Object> m = null;
                double secs = 0;
                for (int rep = 0; rep < 2; rep++) {
                    long t0 = System.nanoTime();
                    m = PrepJob.run(spark, new StageContext(conf, dir.resolve("run").toString(), IfExists.OVERWRITE));
                    secs = (System.nanoTime() - t0) / 1e9;
                }
                long patches = ((Number) m.get("patches")).longValue();
                int[] shape = ((List<?>) m.get("patch_shape")).stream().mapToInt(o -> ((Number) o).intValue()).toArray();
                int floatsPerPatch = 1;
                for (int d : shape) {
                    floatsPerPatch *= d;
                }
                plainWrite(spark, patches, floatsPerPatch, dir.resolve("plain-warmup").toString());
                double plainSecs = plainWrite(spark, patches, floatsPerPatch, dir.resolve("plain").toString());
                double outMb = patches * (double) floatsPerPatch * 4 / 1e6;
                Map<String, Object> line = new java.util.LinkedHashMap<>();
                line.put("case", c.name());
                line.put("input_mb", round2(inputBytes / 1e6));
                line.put("patches", patches);
                line.put("patch_data_mb", round2(outMb));
                line.put("prep_s", round2(secs));
                line.put("input_mb_per_s", round2(inputBytes / 1e6 / secs));
                line.put("patches_per_s", Math.round(patches / secs));
                line.put("patch_mb_per_s", round2(outMb / secs));
                line.put("plain_parquet_write_mb_per_s", round2(outMb / plainSecs));
                line.put("ratio_vs_plain_write", round2(plainSecs / secs));
                emit(out, line);
            } finally {
                try (var s = Files.walk(dir)) {
                    s.sorted(java.util.Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
                }
            }
        }
    }

    /** The reference: Spark generating and writing the same floats as array&lt;float&gt; rows. */
    private static double plainWrite(SparkSession spark, long rows, int floats, String dir) {
        JavaSparkContext jsc = JavaSparkContext.fromSparkContext(spark.sparkContext());
        int parts = Math.max(1, jsc.defaultParallelism());
        List<Integer> slices = new ArrayList<>();
        for (int i = 0; i < parts; i++) {
            slices.add(i);
        }
        long perPart = (rows + parts - 1) / parts;
        // Rows are generated lazily, as prep emits them (a list per partition would not fit a 1 GB heap), from
        // one block of random floats per partition: incompressible like real patches, and nearly free to make,
        // so the reference measures Spark's Parquet write rather than a random number generator.
        JavaRDD<Row> data = jsc.parallelize(slices, parts).flatMap(p -> new java.util.Iterator<Row>() {
            private final float[] block = randomBlock(p, floats);
            private long i = 0;

            @Override
            public boolean hasNext() {
                return i < perPart && p * perPart + i < rows;
            }

            @Override
            public Row next() {
                float[] v = block.clone();
                v[(int) (i % floats)] = i;
                return RowFactory.create(p * perPart + i++, v);
            }
        });
        StructType schema = new StructType(new StructField[]{
                DataTypes.createStructField("id", DataTypes.LongType, false),
                DataTypes.createStructField("data", DataTypes.createArrayType(DataTypes.FloatType, false), false)});
        long t0 = System.nanoTime();
        spark.createDataFrame(data, schema).write().parquet(dir);
        return (System.nanoTime() - t0) / 1e9;
    }

    private static float[] randomBlock(long seed, int floats) {
        Random rnd = new Random(seed);
        float[] v = new float[floats];
        for (int k = 0; k < floats; k++) {
            v[k] = rnd.nextFloat();
        }
        return v;
    }

    /** The series as NPY only (the generator also writes HDF5, which would count as input here). */
    private static void writeSimulation(Path dir, int side, int steps) {
        for (Path f : SimulationWriter.generate(dir, SimParams.defaults("sim").withGrid(side, steps).withChannels(4))) {
            if (!f.toString().endsWith(".npy")) {
                f.toFile().delete();
            }
        }
    }

    private static void writeTiff(Path dir, int side) {
        BufferedImage img = new BufferedImage(side, side, BufferedImage.TYPE_USHORT_GRAY);
        WritableRaster r = img.getRaster();
        Random rnd = new Random(1);
        for (int y = 0; y < side; y++) {
            for (int x = 0; x < side; x++) {
                double v = 0.5 + 0.25 * Math.sin(x / 37.0) * Math.cos(y / 23.0) + 0.1 * rnd.nextGaussian();
                r.setSample(x, y, 0, (int) Math.max(0, Math.min(65535, v * 65535)));
            }
        }
        try {
            if (!ImageIO.write(img, "tiff", dir.resolve("image.tif").toFile())) {
                throw new IllegalStateException("no TIFF writer on the classpath");
            }
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }
}
