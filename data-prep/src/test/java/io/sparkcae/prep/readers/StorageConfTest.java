package io.sparkcae.prep.readers;

import io.sparkcae.core.error.ExitCode;
import org.apache.hadoop.conf.Configuration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.util.List;

import static io.sparkcae.prep.readers.IdxFileWriter.gzip;
import static io.sparkcae.prep.readers.IdxFileWriter.images;
import static io.sparkcae.prep.readers.IdxFileWriter.labels;
import static io.sparkcae.prep.readers.IdxFileWriter.write;
import static io.sparkcae.prep.readers.SampleAssertions.assertFails;
import static io.sparkcae.prep.readers.SampleAssertions.assertSameSamples;
import static io.sparkcae.prep.readers.SampleAssertions.readAll;
import static io.sparkcae.prep.readers.SampleAssertions.roundTrip;
import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * Readers open every file with the configuration they were given, on the driver and after travelling to a
 * task. The input sits behind a Hadoop viewfs mount that exists only in that configuration: a real file
 * system whose paths resolve only when the configuration arrives intact.
 */
class StorageConfTest {
    /** A viewfs cluster name used by no other test, so the JVM-wide FileSystem cache cannot interfere. */
    private static final String CLUSTER = "sparkcae-storage-test";

    @TempDir
    Path dir;

    private StorageConf mounting(Path target) {
        Configuration conf = new Configuration();
        conf.set("fs.viewfs.mounttable." + CLUSTER + ".link./inputs", target.toUri().toString());
        conf.setBoolean("fs.viewfs.impl.disable.cache", true);
        return StorageConf.of(conf);
    }

    private static String viewfs(String rest) {
        return "viewfs://" + CLUSTER + "/inputs/" + rest;
    }

    @Test
    void idxReadersCarryTheirConfigurationToTasks() {
        Path data = dir.resolve("data");
        write(data.resolve("train-images-idx3-ubyte.gz"), gzip(images(7, 3, 2)));
        write(data.resolve("train-labels-idx1-ubyte.gz"), gzip(labels(7)));
        StorageConf storage = mounting(data);

        List<SampleReader> readers = SampleReaderFactory.open(viewfs(""), "auto", ImageOptions.defaults(), "", storage);
        assertEquals(1, readers.size());
        IdxSampleReader reader = (IdxSampleReader) readers.get(0);
        assertEquals(viewfs("train-labels-idx1-ubyte.gz"), reader.labelsPath());
        List<Sample> expected = readAll(new IdxSampleReader(data.resolve("train-images-idx3-ubyte.gz").toString(),
                data.resolve("train-labels-idx1-ubyte.gz").toString()), 3);

        // Planned on the "driver", shipped, read in the "task": only the shipped configuration knows the mount.
        List<ReadUnit> units = reader.plan(3);
        SampleReader shipped = roundTrip(reader);
        List<Sample> read = new java.util.ArrayList<>();
        for (ReadUnit u : units) {
            read.addAll(SampleAssertions.toList(shipped.read(u)));
        }
        assertSameSamples(expected, read);
    }

    @Test
    void imageAndVolumeReadersUseTheGivenConfiguration() {
        Path images = dir.resolve("images");
        ImageFileWriter.gray8(images.resolve("a/0.png"), 4, 3, (x, y) -> x * 10 + y);
        ImageFileWriter.gray8(images.resolve("b/1.png"), 4, 3, (x, y) -> 200 - x);
        Path volumes = dir.resolve("volumes");
        NpyFixtureWriter.f4(volumes.resolve("s0.npy"), 2, 3, 4);
        NpyFixtureWriter.f4(volumes.resolve("s1.npy"), 2, 3, 4);

        SampleReader imageReader = roundTrip(SampleReaderFactory.open(viewfs("images"), "images",
                ImageOptions.defaults(), "", mounting(dir)).get(0));
        assertSameSamples(readAll(new ImageFolderSampleReader(images.toString(), ImageOptions.defaults()), 1),
                readAll(imageReader, 1));

        SampleReader volumeReader = roundTrip(SampleReaderFactory.open(viewfs("volumes"), "auto",
                ImageOptions.defaults(), "", mounting(dir)).get(0));
        List<Sample> viaMount = readAll(volumeReader, 1);
        assertEquals(2, viaMount.size());
        assertSameSamples(readAll(new NpyVolumeReader(volumes.toString()), 1), viaMount);
    }

    @Test
    void withoutTheConfigurationThePathIsNotReachable() {
        write(dir.resolve("train-images-idx3-ubyte"), images(2, 2, 2));
        assertFails(ExitCode.USAGE, viewfs(""), () -> SampleReaderFactory.open(viewfs(""), "auto",
                ImageOptions.defaults(), "", StorageConf.hadoopDefaults()));
    }

    @Test
    void serializationKeepsEveryProperty() {
        Configuration conf = new Configuration(false);
        conf.set("fs.s3a.endpoint", "http://127.0.0.1:9000");
        conf.set("spark.sparkcae.marker", "x y");
        Configuration back = roundTrip(StorageConf.of(conf)).get();
        assertEquals("http://127.0.0.1:9000", back.get("fs.s3a.endpoint"));
        assertEquals("x y", back.get("spark.sparkcae.marker"));
    }
}
