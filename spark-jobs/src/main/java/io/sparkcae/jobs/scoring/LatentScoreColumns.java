package io.sparkcae.jobs.scoring;

import io.sparkcae.core.anomaly.CombinedScore;
import io.sparkcae.core.config.ScoreConf;
import io.sparkcae.prep.dataset.PatchSchema;
import org.apache.spark.api.java.JavaRDD;
import org.apache.spark.api.java.function.FlatMapFunction;
import org.apache.spark.broadcast.Broadcast;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.catalyst.expressions.GenericRowWithSchema;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructField;
import org.apache.spark.sql.types.StructType;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.Iterator;
import java.util.List;

/**
 * Turns the rows of a {@link PatchScorer} pass that carry the latent {@code z} into rows with the latent
 * anomaly scores instead: {@code latent_mahalanobis}, {@code latent_knn} and optionally {@code combined} (a
 * {@link CombinedScore} of mse, latent_mahalanobis, latent_knn in that order) are appended and {@code z} is
 * dropped (encode writes latents). Rows are scored a batch at a time so kNN runs as matrix products.
 * Without a reference (latents too long to score) the latent columns are NaN.
 */
public final class LatentScoreColumns implements FlatMapFunction<Iterator<Row>, Row> {
    private static final long serialVersionUID = 1L;
    public static final String MAHALANOBIS = ScoreConf.Method.MAHALANOBIS.column();
    public static final String KNN = ScoreConf.Method.KNN.column();
    public static final String COMBINED = ScoreConf.Method.COMBINED.column();

    private final Broadcast<LatentReference> reference;
    private final CombinedScore combined;
    private final boolean withCombined;
    private final int batchSize;
    private final StructType in;
    private final StructType out;

    private LatentScoreColumns(Broadcast<LatentReference> reference, CombinedScore combined, boolean withCombined,
                               int batchSize, StructType in) {
        this.reference = reference;
        this.combined = combined;
        this.withCombined = withCombined;
        this.batchSize = batchSize;
        this.in = in;
        this.out = schema(in, withCombined);
    }

    /**
     * @param reference    null when the model's latents get no latent scores
     * @param combined     how {@code combined} is computed; null makes it NaN
     * @param withCombined whether rows get a {@code combined} column
     */
    public static JavaRDD<Row> append(JavaRDD<Row> scored, StructType schema, Broadcast<LatentReference> reference,
                                      CombinedScore combined, boolean withCombined, int batchSize) {
        return scored.mapPartitions(new LatentScoreColumns(reference, combined, withCombined, batchSize, schema));
    }

    /** {@code in} without {@code z}, with the latent score columns (and {@code combined}) appended. */
    public static StructType schema(StructType in, boolean withCombined) {
        List<StructField> f = new ArrayList<>();
        for (StructField field : in.fields()) {
            if (!field.name().equals(PatchScorer.LATENT)) {
                f.add(field);
            }
        }
        f.add(DataTypes.createStructField(MAHALANOBIS, DataTypes.DoubleType, false));
        f.add(DataTypes.createStructField(KNN, DataTypes.DoubleType, false));
        if (withCombined) {
            f.add(DataTypes.createStructField(COMBINED, DataTypes.DoubleType, false));
        }
        return DataTypes.createStructType(f);
    }

    @Override
    public Iterator<Row> call(Iterator<Row> rows) {
        int zAt = in.fieldIndex(PatchScorer.LATENT);
        int mseAt = in.fieldIndex(PatchScorer.MSE);
        int idAt = in.fieldIndex(PatchSchema.ID);
        LatentReference ref = reference == null ? null : reference.value();
        return new Iterator<>() {
            private Iterator<Row> batch = java.util.Collections.emptyIterator();

            @Override
            public boolean hasNext() {
                while (!batch.hasNext() && rows.hasNext()) {
                    List<Row> next = new ArrayList<>(batchSize);
                    while (rows.hasNext() && next.size() < batchSize) {
                        next.add(rows.next());
                    }
                    batch = score(next, ref, zAt, mseAt, idAt).iterator();
                }
                return batch.hasNext();
            }

            @Override
            public Row next() {
                hasNext();
                return batch.next();
            }
        };
    }

    private List<Row> score(List<Row> rows, LatentReference ref, int zAt, int mseAt, int idAt) {
        int n = rows.size();
        double[] mahalanobis = new double[n];
        double[] knn = new double[n];
        if (ref == null) {
            Arrays.fill(mahalanobis, Double.NaN);
            Arrays.fill(knn, Double.NaN);
        } else {
            float[][] z = new float[n][];
            String[] ids = new String[n];
            for (int i = 0; i < n; i++) {
                z[i] = (float[]) rows.get(i).get(zAt);
                ids[i] = rows.get(i).getString(idAt);
            }
            mahalanobis = ref.mahalanobis().distances(z);
            knn = ref.knn().meanDistances(z, ids);
        }
        List<Row> result = new ArrayList<>(n);
        int width = in.size();
        for (int i = 0; i < n; i++) {
            Row r = rows.get(i);
            Object[] values = new Object[out.size()];
            int v = 0;
            for (int c = 0; c < width; c++) {
                if (c != zAt) {
                    values[v++] = r.get(c);
                }
            }
            values[v++] = mahalanobis[i];
            values[v++] = knn[i];
            if (withCombined) {
                values[v] = ref == null || combined == null ? Double.NaN
                        : combined.of(r.getDouble(mseAt), mahalanobis[i], knn[i]);
            }
            result.add(new GenericRowWithSchema(values, out));
        }
        return result;
    }
}
