package io.sparkcae.jobs.rom;

import io.sparkcae.core.config.ConfKeys;
import io.sparkcae.core.error.SparkCaeException;
import io.sparkcae.core.metrics.GramPod;
import io.sparkcae.core.tensor.BatchAssembler;
import io.sparkcae.core.tensor.ChannelNormalizer;
import io.sparkcae.core.tensor.PatchShape;
import io.sparkcae.prep.dataset.PatchSchema;
import org.apache.spark.HashPartitioner;
import org.apache.spark.api.java.JavaPairRDD;
import org.apache.spark.api.java.JavaRDD;
import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.broadcast.Broadcast;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructField;
import org.apache.spark.sql.types.StructType;
import org.apache.spark.storage.StorageLevel;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.indexing.NDArrayIndex;
import scala.Tuple2;

import java.util.ArrayList;
import java.util.List;

import static org.apache.spark.sql.functions.col;

/**
 * POD of the train snapshots computed in Spark by the method of snapshots, so no JVM ever holds the
 * snapshot matrix: every snapshot (normalised as the model sees it, centred on the train mean) is cut into
 * column blocks; one task per block multiplies its slice of all snapshots (train and held-out) with its
 * slice of the train snapshots, and the per-block products are tree-summed into the n x n train Gram
 * matrix and the held-out x train cross products. The driver eigen-decomposes the Gram ({@link GramPod}),
 * which gives singular values, energy, and the held-out coefficients and errors for any number of modes.
 * Optionally a second pass over the cached blocks writes the leading modes themselves (Parquet).
 *
 * <p>The driver holds O(n²) doubles, which is why train snapshots are capped
 * ({@code sparkcae.rom.pod-max-snapshots}); the features per snapshot are unbounded, since a block task
 * holds (snapshots x block width) values, the width chosen to keep that under {@link #BLOCK_VALUES}.
 */
final class DistributedPod {
    /** Values (doubles) of one block's slice of all snapshots: 8M = 64 MB per task. */
    static final long BLOCK_VALUES = 8_000_000L;
    static final StructType MODE_SCHEMA = new StructType(new StructField[]{
            DataTypes.createStructField("mode", DataTypes.IntegerType, false),
            DataTypes.createStructField("offset", DataTypes.LongType, false),
            DataTypes.createStructField("values", DataTypes.createArrayType(DataTypes.FloatType, false), false)});

    private DistributedPod() {
    }

    /**
     * What the fit gives back: the driver-side decomposition, how the work was cut, and for models built on
     * POD coefficients the squared norms of the centred train snapshots, and the validation snapshots'
     * products with the train ones and squared norms (empty without a validation split).
     */
    record Result(GramPod pod, int trainCount, int heldOutCount, long features, int blocks, double[] trainSquares,
                  double[] heldOutSquares, int valCount, double[] valCross, double[] valSquares) {
    }

    /**
     * @param train       train patch rows (id, data, ...): the snapshots POD is fitted on
     * @param heldOut     held-out patch rows whose errors are reported
     * @param maxTrain    refuse more train snapshots than this (names the key in the message)
     * @param modesToWrite leading modes written as Parquet rows (mode, offset, values) to modesDir; 0 = none
     */
    static Result fit(SparkSession spark, Dataset<Row> train, Dataset<Row> heldOut, PatchShape shape,
                      ChannelNormalizer normalizer, int maxTrain, int modesToWrite, String modesDir) {
        return fit(spark, train, null, heldOut, shape, normalizer, maxTrain, modesToWrite, modesDir, 1);
    }

    /** @param val validation rows whose products with the train snapshots come back too (null = none) */
    static Result fit(SparkSession spark, Dataset<Row> train, Dataset<Row> val, Dataset<Row> heldOut, PatchShape shape,
                      ChannelNormalizer normalizer, int maxTrain, int modesToWrite, String modesDir) {
        return fit(spark, train, val, heldOut, shape, normalizer, maxTrain, modesToWrite, modesDir, 1);
    }

    /** @param minBlocks at least this many column blocks (tests use it to cut small snapshots finely) */
    static Result fit(SparkSession spark, Dataset<Row> train, Dataset<Row> heldOut, PatchShape shape,
                      ChannelNormalizer normalizer, int maxTrain, int modesToWrite, String modesDir, int minBlocks) {
        return fit(spark, train, null, heldOut, shape, normalizer, maxTrain, modesToWrite, modesDir, minBlocks);
    }

    private static Result fit(SparkSession spark, Dataset<Row> train, Dataset<Row> val, Dataset<Row> heldOut,
                              PatchShape shape, ChannelNormalizer normalizer, int maxTrain, int modesToWrite,
                              String modesDir, int minBlocks) {
        JavaSparkContext jsc = JavaSparkContext.fromSparkContext(spark.sparkContext());
        long nLong = train.count();
        if (nLong > maxTrain) {
            throw SparkCaeException.usage(ConfKeys.POD_MAX_SNAPSHOTS + ": " + nLong + " train snapshots need a "
                    + nLong + " x " + nLong + " Gram matrix on the driver, more than the limit of " + maxTrain
                    + " (raise it with the driver memory, ~8 n² bytes, or prep fewer steps into the train split)");
        }
        if (nLong < 2) {
            throw SparkCaeException.badData("POD needs at least 2 train snapshots, got " + nLong);
        }
        int n = (int) nLong;
        long m = shape.elementCount();
        JavaPairRDD<Long, float[]> trainVectors = vectors(train, shape, normalizer, 0);
        JavaPairRDD<Long, float[]> heldOutVectors = vectors(heldOut, shape, normalizer, n);
        int nt = (int) heldOut.count();
        // validation snapshots follow the held-out ones: rows n+nt .. rows-1
        int nv = val == null ? 0 : (int) val.count();
        if (val != null) {
            heldOutVectors = heldOutVectors.union(vectors(val, shape, normalizer, n + nt));
        }
        int rows = n + nt + nv;

        double[] mean = trainVectors.values().treeAggregate(new double[(int) m], (acc, v) -> {
            for (int j = 0; j < v.length; j++) {
                acc[j] += v[j];
            }
            return acc;
        }, DistributedPod::addInto);
        for (int j = 0; j < mean.length; j++) {
            mean[j] /= n;
        }
        int blocks = (int) Math.min(m, Math.max(Math.max(minBlocks, jsc.defaultParallelism()),
                (rows * m + BLOCK_VALUES - 1) / BLOCK_VALUES));
        Broadcast<double[]> meanB = jsc.broadcast(mean);
        int nb = blocks;
        long features = m;
        // One record per (block, snapshot): the centred slice. Block b spans columns [start(b), start(b+1)).
        JavaPairRDD<Integer, Iterable<Tuple2<Long, float[]>>> sliced = trainVectors.union(heldOutVectors)
                .flatMapToPair(t -> {
                    double[] mu = meanB.value();
                    float[] v = t._2();
                    List<Tuple2<Integer, Tuple2<Long, float[]>>> out = new ArrayList<>(nb);
                    for (int b = 0; b < nb; b++) {
                        int from = start(b, nb, features);
                        int to = start(b + 1, nb, features);
                        float[] slice = new float[to - from];
                        for (int j = from; j < to; j++) {
                            slice[j - from] = (float) (v[j] - mu[j]);
                        }
                        out.add(new Tuple2<>(b, new Tuple2<>(t._1(), slice)));
                    }
                    return out.iterator();
                })
                .groupByKey(new HashPartitioner(blocks));
        if (modesToWrite > 0) {
            sliced = sliced.persist(StorageLevel.MEMORY_AND_DISK_SER());
        }
        try {
            spark.sparkContext().setJobDescription("sparkcae rom: POD Gram products over " + blocks + " column blocks");
            double[] sums = sliced.map(b -> blockProducts(b._2(), n, rows)).treeReduce(DistributedPod::addInto);
            double[] gram = new double[n * n];
            System.arraycopy(sums, 0, gram, 0, n * n);
            double[] cross = new double[nt * n];
            System.arraycopy(sums, n * n, cross, 0, nt * n);
            double[] squares = new double[nt];
            System.arraycopy(sums, rows * n + n, squares, 0, nt);
            GramPod pod = GramPod.of(gram, n, cross, squares, m);
            double[] trainSquares = new double[n];
            System.arraycopy(sums, rows * n, trainSquares, 0, n);
            double[] valCross = new double[nv * n];
            System.arraycopy(sums, (n + nt) * n, valCross, 0, nv * n);
            double[] valSquares = new double[nv];
            System.arraycopy(sums, rows * n + n + nt, valSquares, 0, nv);
            int k = Math.min(modesToWrite, pod.modeCount());
            if (k > 0) {
                writeModes(spark, sliced, jsc.broadcast(pod.modeWeights(k)), n, k, nb, features, modesDir);
            }
            return new Result(pod, n, nt, m, blocks, trainSquares, squares, nv, valCross, valSquares);
        } finally {
            sliced.unpersist(false);
            meanB.destroy();
        }
    }

    /** Normalised snapshots by id order, indexed from {@code firstIndex}. */
    private static JavaPairRDD<Long, float[]> vectors(Dataset<Row> rows, PatchShape shape, ChannelNormalizer normalizer,
                                                      long firstIndex) {
        JavaRDD<Row> ordered = rows.select(col(PatchSchema.ID), col(PatchSchema.DATA)).orderBy(col(PatchSchema.ID)).javaRDD();
        return ordered.zipWithIndex().mapToPair(t -> {
            INDArray x = normalizer.apply(BatchAssembler.assemble(List.of((byte[]) t._1().get(1)), shape));
            return new Tuple2<>(firstIndex + t._2(), x.reshape(x.length()).toFloatVector());
        });
    }

    static int start(int block, int blocks, long features) {
        return (int) (features * block / blocks);
    }

    /**
     * One block's share: (all snapshots x train snapshots) products of its column slice, then the squared
     * norms of all snapshots' slices; laid out as rows*n products followed by rows norms.
     */
    private static double[] blockProducts(Iterable<Tuple2<Long, float[]>> slices, int n, int rows) {
        int width = -1;
        double[] a = null;
        for (Tuple2<Long, float[]> s : slices) {
            float[] v = s._2();
            if (a == null) {
                width = v.length;
                a = new double[rows * width];
            }
            int base = (int) (long) s._1() * width;
            for (int j = 0; j < width; j++) {
                a[base + j] = v[j];
            }
        }
        double[] out = new double[rows * n + rows];
        if (a == null || width == 0) {
            return out;
        }
        INDArray all = Nd4j.create(a, new long[]{rows, width}, 'c');
        INDArray trainSlice = all.get(NDArrayIndex.interval(0, n), NDArrayIndex.all());
        double[] products = all.mmul(trainSlice.transpose()).dup('c').data().asDouble();
        System.arraycopy(products, 0, out, 0, rows * n);
        for (int r = 0; r < rows; r++) {
            double sq = 0;
            for (int j = r * width; j < (r + 1) * width; j++) {
                sq += a[j] * a[j];
            }
            out[rows * n + r] = sq;
        }
        return out;
    }

    private static double[] addInto(double[] acc, double[] other) {
        for (int i = 0; i < acc.length; i++) {
            acc[i] += other[i];
        }
        return acc;
    }

    /** Mode j's slice of block b = (train slice)ᵀ w_j, written as one row per (mode, block). */
    private static void writeModes(SparkSession spark, JavaPairRDD<Integer, Iterable<Tuple2<Long, float[]>>> sliced,
                                   Broadcast<double[]> weights, int n, int k, int blocks, long features, String dir) {
        spark.sparkContext().setJobDescription("sparkcae rom: POD modes");
        JavaRDD<Row> modeRows = sliced.flatMap(b -> {
            int from = start(b._1(), blocks, features);
            int width = start(b._1() + 1, blocks, features) - from;
            double[] train = new double[n * width];
            for (Tuple2<Long, float[]> s : b._2()) {
                long idx = s._1();
                if (idx < n) {
                    float[] v = s._2();
                    for (int j = 0; j < width; j++) {
                        train[(int) idx * width + j] = v[j];
                    }
                }
            }
            INDArray modes = Nd4j.create(train, new long[]{n, width}, 'c').transpose()
                    .mmul(Nd4j.create(weights.value(), new long[]{n, k}, 'c')); // width x k
            float[][] byMode = modes.transpose().dup('c').toFloatMatrix();
            List<Row> out = new ArrayList<>(k);
            for (int j = 0; j < k; j++) {
                out.add(RowFactory.create(j, (long) from, byMode[j]));
            }
            return out.iterator();
        });
        spark.createDataFrame(modeRows, MODE_SCHEMA).orderBy(col("mode"), col("offset")).write().parquet(dir);
        weights.destroy();
    }
}
