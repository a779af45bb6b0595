package io.sparkcae.jobs.prep;

import io.sparkcae.core.tensor.FloatCodec;
import io.sparkcae.prep.dataset.PatchIds;
import io.sparkcae.prep.dataset.Split;
import io.sparkcae.prep.dataset.SplitAssigner;
import io.sparkcae.prep.dataset.TrainStatsAccumulator;
import io.sparkcae.prep.patching.PatchExtractor;
import io.sparkcae.prep.readers.Sample;
import io.sparkcae.prep.readers.SampleReader;
import io.sparkcae.prep.readers.WindowedSampleReader;
import io.sparkcae.core.tensor.PatchShape;
import org.apache.spark.api.java.function.FlatMapFunction;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.util.CollectionAccumulator;
import org.apache.spark.util.LongAccumulator;

import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;

/** Spark task body of prep: read one unit, cut its samples into patches, emit patch-dataset rows. */
final class PatchRowFunction implements FlatMapFunction<PrepJob.Task, Row> {
    private static final long serialVersionUID = 1L;
    private final List<SampleReader> readers;
    private final PatchExtractor extractor;
    private final SplitAssigner splits;
    private final LongAccumulator droppedNonFinite;
    private final LongAccumulator droppedLowVariance;
    private final CollectionAccumulator<String> sourceShapes;
    private final TrainStatsAccumulator trainStats;
    private transient java.util.Set<String> seenShapes;

    /** The accumulators count skipped patches; a retried task may count its patches twice. */
    PatchRowFunction(List<SampleReader> readers, PatchExtractor extractor, SplitAssigner splits,
                     LongAccumulator droppedNonFinite, LongAccumulator droppedLowVariance,
                     CollectionAccumulator<String> sourceShapes, TrainStatsAccumulator trainStats) {
        this.trainStats = trainStats;
        this.sourceShapes = sourceShapes;
        this.readers = readers;
        this.extractor = extractor;
        this.splits = splits;
        this.droppedNonFinite = droppedNonFinite;
        this.droppedLowVariance = droppedLowVariance;
    }

    @Override
    public Iterator<Row> call(PrepJob.Task task) {
        if (task.tile() != null) {
            return tileRows(task).iterator();
        }
        Iterator<Sample> samples = readers.get(task.reader()).read(task.unit());
        return new Iterator<>() {
            private Iterator<Row> current = java.util.Collections.emptyIterator();

            @Override
            public boolean hasNext() {
                while (!current.hasNext() && samples.hasNext()) {
                    current = rows(samples.next()).iterator();
                }
                return current.hasNext();
            }

            @Override
            public Row next() {
                hasNext();
                return current.next();
            }
        };
    }

    private List<Row> tileRows(PrepJob.Task task) {
        WindowedSampleReader reader = (WindowedSampleReader) readers.get(task.reader());
        PatchShape sampleShape = reader.sampleShape(task.unit(), task.position());
        Sample region = reader.readWindow(task.unit(), task.position(), task.tile().offset(), task.tile().size());
        recordGeometry(region.source(), sampleShape);
        return toRows(region, extractor.extractTile(region.source(), region.index(), sampleShape, task.tile(),
                region.data()));
    }

    private void recordGeometry(String source, PatchShape shape) {
        if (seenShapes == null) {
            seenShapes = new java.util.HashSet<>();
        }
        String geometry = source + "\t" + shape;
        if (seenShapes.add(geometry)) {
            sourceShapes.add(geometry);
        }
    }

    private List<Row> rows(Sample s) {
        recordGeometry(s.source(), s.shape());
        return toRows(s, extractor.extract(s.source(), s.index(), s.shape(), s.data()));
    }

    private List<Row> toRows(Sample s, PatchExtractor.Extraction extraction) {
        droppedNonFinite.add(extraction.droppedNonFinite());
        droppedLowVariance.add(extraction.droppedLowVariance());
        List<PatchExtractor.Patch> patches = extraction.patches();
        List<Row> out = new ArrayList<>(patches.size());
        for (PatchExtractor.Patch p : patches) {
            String id = PatchIds.of(s.source(), s.index(), p.origin(), extractor.wholeSample());
            Split split = splits.assign(s.source(), id);
            if (split == Split.TRAIN) {
                trainStats.addPatch(p.data(), p.shape().channels());
            }
            out.add(RowFactory.create(id, s.source(), split.columnValue(), s.label(),
                    box(p.origin()), box(p.shape().dims()), FloatCodec.encode(p.data())));
        }
        return out;
    }

    private static Integer[] box(int[] a) {
        Integer[] out = new Integer[a.length];
        for (int i = 0; i < a.length; i++) {
            out[i] = a[i];
        }
        return out;
    }
}
