package io.sparkcae.jobs.rom;

import io.sparkcae.core.config.DataConf;
import io.sparkcae.core.error.SparkCaeException;
import io.sparkcae.core.metrics.PodBasis;
import io.sparkcae.core.tensor.ChannelNormalizer;
import io.sparkcae.core.tensor.FloatCodec;
import io.sparkcae.core.tensor.PatchShape;
import io.sparkcae.jobs.testing.LocalSpark;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructField;
import org.apache.spark.sql.types.StructType;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.concurrent.TimeUnit;

import static org.apache.spark.sql.functions.col;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The Spark POD (column blocks, Gram tree-summed over partitions) against the driver-side PodBasis on the
 * same normalised snapshots: singular values, held-out errors for 1..16 modes and the modes themselves.
 */
@ExtendWith(LocalSpark.class)
@Timeout(value = 2, unit = TimeUnit.MINUTES)
class DistributedPodTest {
    private static final PatchShape SHAPE = PatchShape.of(1, 4, 5, 6);
    private static final ChannelNormalizer MINMAX = new ChannelNormalizer(DataConf.Normalization.MINMAX,
            new float[]{0.2f}, new float[]{2f});

    @TempDir
    Path tmp;

    /** Snapshots of smooth random modes plus noise, as stored (before normalisation). */
    private static float[][] snapshots(Random r, int n, int m) {
        float[][] x = new float[n][m];
        for (int i = 0; i < n; i++) {
            for (int k = 0; k < 6; k++) {
                double c = r.nextGaussian() / (k + 1);
                for (int j = 0; j < m; j++) {
                    x[i][j] += (float) (c * Math.sin((k + 1) * 0.13 * j + k));
                }
            }
            for (int j = 0; j < m; j++) {
                x[i][j] += (float) (1 + 0.02 * r.nextGaussian());
            }
        }
        return x;
    }

    private static Dataset<Row> rows(SparkSession spark, String prefix, float[][] x, int partitions) {
        List<Row> rows = new ArrayList<>();
        for (int i = 0; i < x.length; i++) {
            rows.add(RowFactory.create(String.format("%s:%03d", prefix, i), FloatCodec.encode(x[i])));
        }
        StructType schema = new StructType(new StructField[]{
                DataTypes.createStructField("id", DataTypes.StringType, false),
                DataTypes.createStructField("data", DataTypes.BinaryType, false)});
        return spark.createDataFrame(rows, schema).repartition(partitions);
    }

    private static float[][] normalised(float[][] x) {
        float[][] y = new float[x.length][];
        for (int i = 0; i < x.length; i++) {
            y[i] = new float[x[i].length];
            for (int j = 0; j < x[i].length; j++) {
                y[i][j] = (x[i][j] - 0.2f) / 2f;
            }
        }
        return y;
    }

    @Test
    void matchesTheDriverSidePodOnSeveralPartitionsAndBlocks() {
        SparkSession spark = LocalSpark.get();
        Random r = new Random(3);
        int m = SHAPE.elementCount();
        float[][] train = snapshots(r, 37, m);
        float[][] test = snapshots(r, 11, m);
        String modesDir = tmp.resolve("modes").toString();
        DistributedPod.Result fit = DistributedPod.fit(spark, rows(spark, "train", train, 4), rows(spark, "test", test, 3),
                SHAPE, MINMAX, 100, 3, modesDir, 7);
        assertEquals(7, fit.blocks());
        assertEquals(37, fit.trainCount());
        assertEquals(11, fit.heldOutCount());

        // ids sort as the rows were made, so the reference sees the same snapshots
        PodBasis reference = PodBasis.fit(normalised(train));
        float[][] heldOut = normalised(test);
        assertEquals(reference.modeCount(), fit.pod().modeCount());
        double[] s = fit.pod().spectrum().singularValues();
        double[] sRef = reference.singularValues();
        for (int k = 0; k < 16; k++) {
            assertEquals(sRef[k], s[k], 1e-5 * sRef[0], "singular value " + k);
        }
        double scale = reference.reconstructionMse(heldOut, 0);
        for (int k = 0; k <= 16; k++) {
            assertEquals(reference.reconstructionMse(heldOut, k), fit.pod().heldOutMse(k), 1e-5 * scale, "modes=" + k);
        }
        assertEquals(reference.rankForEnergy(0.9), fit.pod().spectrum().rankForEnergy(0.9));
        assertEquals(reference.rankForEnergy(0.999), fit.pod().spectrum().rankForEnergy(0.999));

        // modes written by block: reassembled, each equals the reference's up to sign
        List<Row> modeRows = spark.read().parquet(modesDir).orderBy(col("mode"), col("offset")).collectAsList();
        assertEquals(3 * 7, modeRows.size());
        for (int k = 0; k < 3; k++) {
            double[] mode = new double[m];
            for (Row row : modeRows) {
                if (row.getInt(0) == k) {
                    List<Float> v = row.getList(2);
                    for (int j = 0; j < v.size(); j++) {
                        mode[(int) row.getLong(1) + j] = v.get(j);
                    }
                }
            }
            double[] ref = reference.mode(k);
            double dot = 0;
            for (int j = 0; j < m; j++) {
                dot += mode[j] * ref[j];
            }
            assertTrue(Math.abs(Math.abs(dot) - 1) < 1e-4, "mode " + k + " · reference = " + dot);
        }
    }

    @Test
    void refusesMoreTrainSnapshotsThanTheDriverLimitNamingTheKey() {
        SparkSession spark = LocalSpark.get();
        Random r = new Random(4);
        float[][] train = snapshots(r, 12, SHAPE.elementCount());
        SparkCaeException e = assertThrows(SparkCaeException.class, () -> DistributedPod.fit(spark,
                rows(spark, "train", train, 2), rows(spark, "test", train, 2), SHAPE, MINMAX, 10, 0, null));
        assertTrue(e.getMessage().contains("sparkcae.rom.pod-max-snapshots"), e.getMessage());
    }
}
