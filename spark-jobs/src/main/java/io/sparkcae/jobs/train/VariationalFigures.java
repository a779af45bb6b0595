package io.sparkcae.jobs.train;

import io.sparkcae.core.model.CaeModel;
import io.sparkcae.core.model.CaeNetworkBuilder;
import io.sparkcae.core.model.ModelSpec;
import io.sparkcae.core.report.PatchGrid;
import io.sparkcae.core.tensor.PatchShape;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

import java.io.IOException;
import java.nio.file.Path;
import java.util.Random;

/**
 * What only a variational model can show: {@code samples.png}, codes drawn from the prior N(0, I) and
 * decoded (2 rows of {@value #SAMPLE_COLUMNS}, seeded by sparkcae.seed), and {@code interpolation.png},
 * the first val patch, the decoded straight line between the two patches' latent means in
 * {@value #STEPS} steps, and the second val patch.
 */
final class VariationalFigures {
    static final int SAMPLE_COLUMNS = 8;
    static final int SAMPLE_ROWS = 2;
    static final int STEPS = 8;

    private VariationalFigures() {
    }

    static void samples(CaeModel model, ModelSpec spec, long seed, Path png, int scale) throws IOException {
        PatchShape shape = model.inputShape();
        ComputationGraph decoder = new CaeNetworkBuilder(spec, shape).buildDecoder(model.network());
        int n = SAMPLE_ROWS * SAMPLE_COLUMNS;
        Random rng = new Random(seed);
        float[][] z = new float[n][spec.latentDim()];
        for (float[] row : z) {
            for (int j = 0; j < row.length; j++) {
                row[j] = (float) rng.nextGaussian();
            }
        }
        float[][] decoded = flat(decoder.outputSingle(false, Nd4j.create(z)), n, shape);
        float[][][] rows = new float[SAMPLE_ROWS][SAMPLE_COLUMNS][];
        for (int i = 0; i < n; i++) {
            rows[i / SAMPLE_COLUMNS][i % SAMPLE_COLUMNS] = decoded[i];
        }
        PatchGrid.write(rows, shape.channels(), shape.spatial(0), shape.spatial(1), png, scale);
    }

    /** @param pair two normalised patches, batch of 2 */
    static void interpolation(CaeModel model, ModelSpec spec, INDArray pair, Path png, int scale) throws IOException {
        PatchShape shape = model.inputShape();
        ComputationGraph decoder = new CaeNetworkBuilder(spec, shape).buildDecoder(model.network());
        INDArray mu = model.encode(pair);
        INDArray path = Nd4j.create(mu.dataType(), STEPS, mu.size(1));
        for (int s = 0; s < STEPS; s++) {
            double t = s / (double) (STEPS - 1);
            path.putRow(s, mu.getRow(0).mul(1 - t).addi(mu.getRow(1).mul(t)));
        }
        float[][] decoded = flat(decoder.outputSingle(false, path), STEPS, shape);
        float[][] ends = flat(pair, 2, shape);
        float[][] row = new float[STEPS + 2][];
        row[0] = ends[0];
        System.arraycopy(decoded, 0, row, 1, STEPS);
        row[STEPS + 1] = ends[1];
        PatchGrid.write(new float[][][]{row}, shape.channels(), shape.spatial(0), shape.spatial(1), png, scale);
    }

    private static float[][] flat(INDArray batch, int n, PatchShape shape) {
        return batch.reshape('c', n, shape.elementCount()).toFloatMatrix();
    }
}
