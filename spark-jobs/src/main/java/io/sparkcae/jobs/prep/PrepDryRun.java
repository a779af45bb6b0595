package io.sparkcae.jobs.prep;

import io.sparkcae.core.config.DataConf;
import io.sparkcae.core.config.SparkCaeConf;
import io.sparkcae.core.tensor.PatchShape;
import io.sparkcae.prep.patching.PatchExtractor;
import io.sparkcae.prep.readers.ImageOptions;
import io.sparkcae.prep.readers.ReadUnit;
import io.sparkcae.prep.readers.Sample;
import io.sparkcae.prep.readers.SampleReader;
import io.sparkcae.prep.readers.SampleReaderFactory;
import io.sparkcae.prep.readers.WindowedSampleReader;

import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;

/**
 * What {@code prep --dry-run} checks without Spark: the input exists and is readable, every file's header parses
 * (the readers' planning reads them; image sizes are checked under resize-policy fail), and the patch size fits
 * the first sample of each source (rank, size). Returns a one-line summary.
 */
public final class PrepDryRun {
    private PrepDryRun() {
    }

    /** @param hadoop the configuration prep's readers would use (spark.hadoop.* applied) */
    public static String check(SparkCaeConf conf, org.apache.hadoop.conf.Configuration hadoop) {
        DataConf data = conf.data();
        List<SampleReader> readers = SampleReaderFactory.open(data.effectiveInput(), data.format(), ImageOptions.of(data),
                data.hdf5Dataset(), io.sparkcae.prep.readers.StorageConf.of(hadoop));
        PatchExtractor extractor = new PatchExtractor(conf.patch(), data.nanPolicy(), conf.seed());
        List<PrepJob.Task> tasks = PrepJob.plan(readers, conf, extractor);
        long samples = 0;
        PatchShape patch = null;
        for (SampleReader reader : readers) {
            samples += reader.sampleCount();
            List<ReadUnit> units = reader.plan(conf.prep().recordsPerTask());
            if (units.isEmpty()) {
                continue;
            }
            ReadUnit first = units.get(0);
            PatchShape shape;
            String name;
            if (reader instanceof WindowedSampleReader w) {
                shape = w.sampleShape(first, 0);
                name = first.paths().isEmpty() ? reader.toString()
                        : new org.apache.hadoop.fs.Path(first.paths().get(0)).getName();
            } else {
                Sample sample = firstSample(reader, first);
                shape = sample == null ? null : sample.shape();
                name = sample == null ? reader.toString() : sample.source();
            }
            if (shape != null) {
                patch = extractor.patchShape(name, shape);
            }
        }
        return readers.size() + " source(s), " + samples + " sample(s), " + tasks.size() + " read task(s)"
                + (patch == null ? "" : ", patches of shape " + patch);
    }

    /** Reads one sample only: a unit cut to its first record (or first file). */
    private static Sample firstSample(SampleReader reader, ReadUnit unit) {
        ReadUnit one = unit;
        if (unit.count() > 1 && unit.paths().size() == unit.count()) {
            one = new ReadUnit(new ArrayList<>(unit.paths().subList(0, 1)), unit.labelsPath(), unit.start(), 1);
        } else if (unit.count() > 1 && unit.paths().size() == 1) {
            one = new ReadUnit(unit.paths(), unit.labelsPath(), unit.start(), 1);
        }
        Iterator<Sample> it = reader.read(one);
        return it.hasNext() ? it.next() : null;
    }
}
