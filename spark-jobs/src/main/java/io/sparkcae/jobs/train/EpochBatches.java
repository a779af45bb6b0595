package io.sparkcae.jobs.train;

import io.sparkcae.core.tensor.BatchAssembler;
import io.sparkcae.core.tensor.ChannelNormalizer;
import io.sparkcae.core.tensor.InputCorruption;
import io.sparkcae.core.tensor.PatchShape;
import org.apache.spark.api.java.JavaRDD;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.dataset.DataSet;
import scala.Tuple2;

import java.util.ArrayList;
import java.util.Collections;
import java.util.Iterator;
import java.util.List;
import java.util.Random;

/**
 * One epoch of mini-batches: each partition shuffles its patches with a seed derived from (seed, epoch,
 * partition) and packs them into DataSets of {@code batchSize} (features = labels: an autoencoder
 * reconstructs its input). Batches are built inside the partition, so no DataSet is ever serialised.
 */
final class EpochBatches {
    private EpochBatches() {
    }

    static JavaRDD<DataSet> of(JavaRDD<Tuple2<String, byte[]>> rows, PatchShape shape, ChannelNormalizer normalizer,
                               InputCorruption corruption, int batchSize, long seed, int epoch) {
        return rows.mapPartitionsWithIndex((partition, it) -> {
            List<byte[]> patches = new ArrayList<>();
            it.forEachRemaining(t -> patches.add(t._2()));
            Collections.shuffle(patches, new Random(mix(seed, epoch, partition)));
            return batches(patches, shape, normalizer, corruption, batchSize, mix(seed, epoch, partition));
        }, true);
    }

    static long mix(long seed, int epoch, int partition) {
        long h = seed * 0x9E3779B97F4A7C15L + epoch * 0xC2B2AE3D27D4EB4FL + partition * 0x165667B19E3779F9L;
        return h ^ (h >>> 29);
    }

    private static Iterator<DataSet> batches(List<byte[]> patches, PatchShape shape, ChannelNormalizer normalizer,
                                             InputCorruption corruption, int batchSize, long partitionSeed) {
        return new Iterator<>() {
            private int next = 0;

            @Override
            public boolean hasNext() {
                return next < patches.size();
            }

            @Override
            public DataSet next() {
                int end = Math.min(patches.size(), next + batchSize);
                INDArray x = normalizer.apply(BatchAssembler.assemble(patches.subList(next, end), shape));
                INDArray input = corruption.apply(x, partitionSeed + next);
                next = end;
                return new DataSet(input, x);
            }
        };
    }
}
