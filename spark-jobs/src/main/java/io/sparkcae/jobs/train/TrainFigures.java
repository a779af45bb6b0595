package io.sparkcae.jobs.train;

import io.sparkcae.core.model.CaeModel;
import io.sparkcae.core.model.ModelSpec;
import io.sparkcae.core.report.EpochLoss;
import io.sparkcae.core.report.LossCurvePlot;
import io.sparkcae.core.report.ReconstructionGrid;
import io.sparkcae.core.tensor.BatchAssembler;
import io.sparkcae.core.tensor.ChannelNormalizer;
import io.sparkcae.core.tensor.PatchShape;
import io.sparkcae.jobs.common.RunFiles;
import io.sparkcae.prep.dataset.PatchSchema;
import org.apache.hadoop.conf.Configuration;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.indexing.NDArrayIndex;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import static org.apache.spark.sql.functions.col;

/**
 * loss.png and reconstructions.png of a training run (validation samples, chosen by id for stability); for a
 * variational 2D model also samples.png and interpolation.png (see {@link VariationalFigures}).
 */
final class TrainFigures {
    static final String SAMPLES = "samples.png";
    static final String INTERPOLATION = "interpolation.png";

    private TrainFigures() {
    }

    static void write(List<EpochLoss> history, CaeModel model, ModelSpec spec, long seed, ChannelNormalizer normalizer,
                      Dataset<Row> valRows, int previewSamples, String dir, Configuration hadoop) throws IOException {
        Path tmp = Files.createTempDirectory("sparkcae-figures");
        try {
            Path loss = tmp.resolve("loss.png");
            LossCurvePlot.write(history, loss);
            RunFiles.copyLocal(loss, dir, "loss.png", hadoop);
            PatchShape shape = model.inputShape();
            int n = Math.min(previewSamples, ReconstructionGrid.MAX_COLUMNS);
            boolean variational = model.variational() && shape.spatialRank() == 2;
            int wanted = variational ? Math.max(n, 2) : n;
            if (wanted > 0 && shape.spatialRank() == 2) {
                List<Row> rows = valRows.select(col(PatchSchema.DATA)).orderBy(col(PatchSchema.ID)).limit(wanted)
                        .collectAsList();
                int scale = Math.max(1, 84 / Math.max(shape.spatial(0), shape.spatial(1)));
                List<byte[]> data = new ArrayList<>();
                rows.forEach(r -> data.add((byte[]) r.get(0)));
                INDArray all = data.isEmpty() ? null : normalizer.apply(BatchAssembler.assemble(data, shape));
                if (n > 0 && all != null) {
                    int shown = Math.min(n, data.size());
                    INDArray x = all.get(NDArrayIndex.interval(0, shown));
                    INDArray y = model.reconstruct(x);
                    int per = shape.elementCount();
                    float[][] in = x.reshape(shown, per).toFloatMatrix();
                    float[][] out = y.reshape(shown, per).toFloatMatrix();
                    Path grid = tmp.resolve("reconstructions.png");
                    ReconstructionGrid.write(in, out, shape.channels(), shape.spatial(0), shape.spatial(1), grid, scale);
                    RunFiles.copyLocal(grid, dir, "reconstructions.png", hadoop);
                }
                if (variational) {
                    Path samples = tmp.resolve(SAMPLES);
                    VariationalFigures.samples(model, spec, seed, samples, scale);
                    RunFiles.copyLocal(samples, dir, SAMPLES, hadoop);
                    if (all != null && data.size() >= 2) {
                        Path walk = tmp.resolve(INTERPOLATION);
                        VariationalFigures.interpolation(model, spec, all.get(NDArrayIndex.interval(0, 2)), walk, scale);
                        RunFiles.copyLocal(walk, dir, INTERPOLATION, hadoop);
                    }
                }
            }
        } finally {
            try (var s = Files.walk(tmp)) {
                s.sorted(java.util.Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
            }
        }
    }
}
