package io.sparkcae.jobs.reassemble;

import org.apache.spark.Partitioner;

import java.io.Serializable;
import java.util.Arrays;
import java.util.Comparator;

/**
 * The shuffle key of one patch: its sample ({@link SampleKey}) and origin. Partitioned by sample and sorted by
 * (sample, origin), a partition hands each sample's patches in a row, top to bottom, which is what lets
 * {@link SampleStitcher} blend them in a band instead of holding them all.
 */
record PatchKey(String sample, int[] origin) implements Serializable {

    /** (sample, origin) in lexicographic order; Spark's sorter needs it serializable. */
    static final class Order implements Comparator<PatchKey>, Serializable {
        private static final long serialVersionUID = 1L;

        @Override
        public int compare(PatchKey a, PatchKey b) {
            int bySample = a.sample.compareTo(b.sample);
            return bySample != 0 ? bySample : Arrays.compare(a.origin, b.origin);
        }
    }

    /** All patches of a sample go to one partition. */
    static final class BySample extends Partitioner {
        private static final long serialVersionUID = 1L;
        private final int partitions;

        BySample(int partitions) {
            this.partitions = partitions;
        }

        @Override
        public int numPartitions() {
            return partitions;
        }

        @Override
        public int getPartition(Object key) {
            return Math.floorMod(((PatchKey) key).sample.hashCode(), partitions);
        }

        @Override
        public boolean equals(Object o) {
            return o instanceof BySample b && b.partitions == partitions;
        }

        @Override
        public int hashCode() {
            return partitions;
        }
    }
}
