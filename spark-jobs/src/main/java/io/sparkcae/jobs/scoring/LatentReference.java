package io.sparkcae.jobs.scoring;

import io.sparkcae.core.anomaly.KnnDistance;
import io.sparkcae.core.anomaly.MahalanobisDistance;
import io.sparkcae.core.config.ConfKeys;
import io.sparkcae.core.config.ScoreConf;
import io.sparkcae.core.error.SparkCaeException;
import io.sparkcae.core.metrics.CovarianceAccumulator;
import io.sparkcae.core.tensor.ChannelNormalizer;
import io.sparkcae.jobs.common.BroadcastModel;
import io.sparkcae.prep.dataset.PatchSchema;
import org.apache.spark.api.java.JavaRDD;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.storage.StorageLevel;

import java.io.Serializable;
import java.nio.charset.StandardCharsets;
import java.util.Comparator;
import java.util.EnumSet;
import java.util.List;

/**
 * What the latent-space anomaly scores compare a patch with: the latents of the training patches of the same
 * model, fitted in one encoder pass over the train split. Their mean and covariance (a {@code treeAggregate}
 * of {@link CovarianceAccumulator}s) give the Mahalanobis distance; a sample of at most
 * {@code score.knn-max-train} of them, chosen by the seed, is the k-nearest-neighbour reference.
 *
 * <p>The sample is the rows with the smallest hash of (seed, id) ({@code takeOrdered}, mergeable across
 * partitions), so the same seed picks the same patches however the data is partitioned.
 */
public record LatentReference(MahalanobisDistance mahalanobis, KnnDistance knn, long trainPatches)
        implements Serializable {

    /**
     * Latents longer than this get no latent scores: their covariance accumulator (d² doubles per task) and kNN
     * reference would not fit an executor comfortably (4096 dimensions: 134 MB per accumulator).
     */
    public static final int MAX_DIMS = 4096;

    /** One training latent and its sample key. */
    private record Latent(String id, float[] z, long key) implements Serializable {
    }

    /** Smallest key first, the id breaking (unlikely) ties: a total order, so the sample is deterministic. */
    private static final class SampleOrder implements Comparator<Latent>, Serializable {
        private static final long serialVersionUID = 1L;

        @Override
        public int compare(Latent a, Latent b) {
            int c = Long.compare(a.key(), b.key());
            return c != 0 ? c : a.id().compareTo(b.id());
        }
    }

    /**
     * @param trainRows the train-split patches the model was trained on (prep's patch schema)
     * @param dims      the model's latent size
     */
    public static LatentReference fit(Dataset<Row> trainRows, BroadcastModel model, ChannelNormalizer normalizer,
                                      int batchSize, int dims, ScoreConf score, long seed) {
        JavaRDD<Latent> latents = new PatchScorer(model, normalizer, batchSize, EnumSet.of(PatchScorer.Output.LATENT))
                .rows(trainRows)
                .map(r -> {
                    String id = r.getAs(PatchSchema.ID);
                    return new Latent(id, (float[]) r.get(r.fieldIndex(PatchScorer.LATENT)), sampleKey(seed, id));
                })
                .persist(StorageLevel.MEMORY_AND_DISK());
        try {
            CovarianceAccumulator moments = latents.treeAggregate(new CovarianceAccumulator(dims),
                    (acc, l) -> acc.add(l.z()), CovarianceAccumulator::merge);
            long n = moments.count();
            if (n <= score.knnK()) {
                throw SparkCaeException.badData("the latent anomaly scores need more training patches than "
                        + ConfKeys.KNN_K + " = " + score.knnK() + ", got " + n + " (check " + ConfKeys.LABELS
                        + " and the train split)");
            }
            MahalanobisDistance mahalanobis;
            try {
                mahalanobis = MahalanobisDistance.fit(moments.mean(), moments.covariance(), score.latentRidge());
            } catch (IllegalArgumentException e) {
                throw SparkCaeException.badData("the training latents' covariance cannot be inverted ("
                        + e.getMessage() + "); raise " + ConfKeys.LATENT_RIDGE, e);
            }
            List<Latent> sample = latents.takeOrdered(score.knnMaxTrain(), new SampleOrder());
            float[][] z = sample.stream().map(Latent::z).toArray(float[][]::new);
            String[] ids = sample.stream().map(Latent::id).toArray(String[]::new);
            // min(knn-max-train, n) > knn-k rows (config and the check above): a sampled training patch,
            // scored without itself, still has k neighbours
            return new LatentReference(mahalanobis, new KnnDistance(z, ids, score.knnK()), n);
        } finally {
            latents.unpersist(false);
        }
    }

    /** A 64-bit hash of (seed, id): FNV-1a over the id's UTF-8 bytes from a seed-dependent start, then mixed. */
    static long sampleKey(long seed, String id) {
        long h = 0xcbf29ce484222325L ^ (seed * 0x9E3779B97F4A7C15L);
        for (byte b : id.getBytes(StandardCharsets.UTF_8)) {
            h ^= b & 0xff;
            h *= 0x100000001b3L;
        }
        // SplitMix64's finaliser: nearby ids end up far apart
        h = (h ^ (h >>> 30)) * 0xbf58476d1ce4e5b9L;
        h = (h ^ (h >>> 27)) * 0x94d049bb133111ebL;
        return h ^ (h >>> 31);
    }
}
