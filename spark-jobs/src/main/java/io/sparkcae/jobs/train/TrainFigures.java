package io.sparkcae.jobs.train;

import io.sparkcae.core.model.CaeModel;
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

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import static org.apache.spark.sql.functions.col;

/** loss.png and reconstructions.png of a training run (validation samples, chosen by id for stability). */
final class TrainFigures {
    private TrainFigures() {
    }

    static void write(List<EpochLoss> history, CaeModel model, ChannelNormalizer normalizer, Dataset<Row> valRows,
                      int previewSamples,
                      String dir, Configuration hadoop) throws IOException {
        Path tmp = Files.createTempDirectory("sparkcae-figures");
        try {
            Path loss = tmp.resolve("loss.png");
            LossCurvePlot.write(history, loss);
            RunFiles.copyLocal(loss, dir, "loss.png", hadoop);
            int n = Math.min(previewSamples, ReconstructionGrid.MAX_COLUMNS);
            if (n > 0) {
                List<Row> rows = valRows.select(col(PatchSchema.DATA)).orderBy(col(PatchSchema.ID)).limit(n)
                        .collectAsList();
                PatchShape shape = model.inputShape();
                if (!rows.isEmpty() && shape.spatialRank() == 2) {
                    List<byte[]> data = new ArrayList<>();
                    rows.forEach(r -> data.add((byte[]) r.get(0)));
                    INDArray x = normalizer.apply(BatchAssembler.assemble(data, shape));
                    INDArray y = model.reconstruct(x);
                    int per = shape.elementCount();
                    float[][] in = x.reshape(data.size(), per).toFloatMatrix();
                    float[][] out = y.reshape(data.size(), per).toFloatMatrix();
                    Path grid = tmp.resolve("reconstructions.png");
                    ReconstructionGrid.write(in, out, shape.channels(), shape.spatial(0), shape.spatial(1), grid,
                            Math.max(1, 84 / Math.max(shape.spatial(0), shape.spatial(1))));
                    RunFiles.copyLocal(grid, dir, "reconstructions.png", hadoop);
                }
            }
        } finally {
            try (var s = Files.walk(tmp)) {
                s.sorted(java.util.Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
            }
        }
    }
}
