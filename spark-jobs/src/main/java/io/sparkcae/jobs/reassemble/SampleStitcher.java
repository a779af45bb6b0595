package io.sparkcae.jobs.reassemble;

import io.sparkcae.core.error.SparkCaeException;
import io.sparkcae.core.tensor.FloatCodec;
import io.sparkcae.core.tensor.PatchShape;
import io.sparkcae.prep.reassembly.BandBlender;
import io.sparkcae.prep.reassembly.BlendWindow;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.Path;
import scala.Tuple2;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;

/**
 * Stitches the samples of one shuffle partition. Patches come sorted by (sample, origin), so one sample is
 * open at a time: each patch is decoded, blended into the sample's {@link BandBlender} and dropped, finished
 * slices stream into the sample's file, and the file is committed when the next sample's first patch (or the
 * end) arrives. The heap holds one band and one patch, never a sample's patches or a whole canvas.
 */
final class SampleStitcher {
    private final Map<String, int[]> shapes;
    private final int[] window;
    private final BlendWindow blend;
    private final String format;
    private final String extension;
    private final Path targetDir;
    private final Configuration hadoop;

    SampleStitcher(Map<String, int[]> shapes, int[] window, BlendWindow blend, String format, String extension,
                   Path targetDir, Configuration hadoop) {
        this.shapes = shapes;
        this.window = window;
        this.blend = blend;
        this.format = format;
        this.extension = extension;
        this.targetDir = targetDir;
        this.hadoop = hadoop;
    }

    /** The file names written, one per sample of the partition. */
    List<String> stitch(Iterator<Tuple2<PatchKey, byte[]>> sorted) {
        List<String> written = new ArrayList<>();
        String current = null;
        SampleFileWriter file = null;
        BandBlender blender = null;
        try {
            while (sorted.hasNext()) {
                Tuple2<PatchKey, byte[]> patch = sorted.next();
                String sample = patch._1().sample();
                if (!sample.equals(current)) {
                    if (file != null) {
                        written.add(finish(current, blender, file));
                        file = null;
                    }
                    current = sample;
                    PatchShape shape = shapeOf(sample);
                    String name = SampleKey.fileName(sample) + "." + extension;
                    file = new SampleFileWriter(shape, format, new Path(targetDir, name), hadoop);
                    blender = new BandBlender(shape, window, blend, file.sink());
                }
                blender.add(patch._1().origin(), FloatCodec.decode(patch._2()));
            }
            if (file != null) {
                written.add(finish(current, blender, file));
                file = null;
            }
        } catch (IOException e) {
            throw new UncheckedIOException(current + ": cannot write: " + e.getMessage(), e);
        } finally {
            if (file != null) {
                file.close();
            }
        }
        return written;
    }

    private String finish(String sample, BandBlender blender, SampleFileWriter file) throws IOException {
        try (file) {
            blender.finish();
            file.commit();
        }
        return SampleKey.fileName(sample) + "." + extension;
    }

    private PatchShape shapeOf(String sample) {
        String source = SampleKey.source(sample);
        int[] dims = shapes.get(source);
        if (dims == null) {
            throw SparkCaeException.badData(source + ": not in the manifest's sources; re-run prep");
        }
        return PatchShape.of(dims);
    }
}
