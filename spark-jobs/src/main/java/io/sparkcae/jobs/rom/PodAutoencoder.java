package io.sparkcae.jobs.rom;

import io.sparkcae.core.config.RomConf;
import io.sparkcae.core.report.EpochLoss;
import org.deeplearning4j.nn.conf.ComputationGraphConfiguration;
import org.deeplearning4j.nn.conf.NeuralNetConfiguration;
import org.deeplearning4j.nn.conf.graph.ElementWiseVertex;
import org.deeplearning4j.nn.conf.layers.DenseLayer;
import org.deeplearning4j.nn.conf.layers.LossLayer;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.deeplearning4j.nn.weights.WeightInit;
import org.nd4j.linalg.activations.Activation;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.dataset.DataSet;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.learning.config.Adam;
import org.nd4j.linalg.lossfunctions.LossFunctions;

import java.util.ArrayList;
import java.util.List;
import java.util.Random;

/**
 * A dense autoencoder on the leading POD coefficients of the snapshots, trained on the driver (N
 * coefficients x a few hundred snapshots is tiny): the nonlinear half of a POD-then-autoencoder reduced
 * model. A snapshot is rebuilt as latent → coefficients → modes, so its error is POD-N's floor plus the
 * coefficient error ({@link ProjectedSnapshots}).
 *
 * <p>Structure: the latent is z = P x̃ + E(x̃) and the estimate ŷ = Q z + D(z), where x̃ are the
 * coefficients standardised per mode (good conditioning for the encoder), E and D are tanh MLPs whose last
 * layers start at zero, and P and Q are linear paths initialised to the POD projection onto the first k
 * modes. Training therefore starts exactly at POD-k and only has to find what the nonlinear paths add.
 * The outputs are the coefficients divided by one common scale, not standardised per mode, so the
 * training loss is proportional to the field's MSE and the small modes are not over-weighted.
 *
 * <p>Adam with a cosine learning-rate decay, decoupled weight decay on the nonlinear layers, early stopping
 * on the validation split (on the train split when there is none), the best epoch's parameters kept; the
 * untrained POD-k start counts as epoch 0, so the result is never worse than POD-k on that split.
 */
final class PodAutoencoder {
    private final ComputationGraph net;
    private final double[] inputScale;
    private final double outputScale;

    private PodAutoencoder(ComputationGraph net, double[] inputScale, double outputScale) {
        this.net = net;
        this.inputScale = inputScale;
        this.outputScale = outputScale;
    }

    /** A trained model and how its training went, in field units (per-value MSE of the normalised snapshot). */
    record Fitted(PodAutoencoder model, int latentSize, int modes, List<EpochLoss> history, int bestEpoch,
                  boolean stoppedEarly, int configuredEpochs, double seconds) {
    }

    static Fitted fit(ProjectedSnapshots train, ProjectedSnapshots val, int latent, RomConf.PodAe conf, long seed) {
        int n = train.modes();
        if (latent > n) {
            throw new IllegalArgumentException("latent size " + latent + " exceeds the " + n + " POD modes");
        }
        double[] sigma = new double[n];
        double total = 0;
        for (double[] row : train.coefficients()) {
            for (int j = 0; j < n; j++) {
                sigma[j] += row[j] * row[j];
                total += row[j] * row[j];
            }
        }
        for (int j = 0; j < n; j++) {
            // train coefficients have mean zero (snapshots centred on the train mean); guard a dead mode
            sigma[j] = Math.max(Math.sqrt(sigma[j] / train.rows()), 1e-12);
        }
        double scale = Math.max(Math.sqrt(total / ((double) train.rows() * n)), 1e-12);
        ComputationGraph net = new ComputationGraph(graph(n, latent, conf, seed));
        net.init();
        // the linear paths start as POD-k: z = first k standardised coefficients, ŷ_j = σ_j / scale · z_j
        INDArray p = Nd4j.zeros(DataType.DOUBLE, n, latent);
        INDArray q = Nd4j.zeros(DataType.DOUBLE, latent, n);
        for (int j = 0; j < latent; j++) {
            p.putScalar(j, j, 1.0);
            q.putScalar(j, j, sigma[j] / scale);
        }
        net.getLayer("z_linear").setParam("W", p);
        net.getLayer("y_linear").setParam("W", q);
        for (String last : new String[]{"z_nonlinear", "y_nonlinear"}) {
            net.getLayer(last).getParam("W").assign(0);
            net.getLayer(last).getParam("b").assign(0);
        }
        PodAutoencoder model = new PodAutoencoder(net, sigma, scale);

        INDArray x = model.inputs(train.coefficients());
        INDArray y = model.targets(train.coefficients());
        boolean hasVal = val != null && val.rows() > 0;
        Random shuffle = new Random(seed);
        int[] order = new int[train.rows()];
        for (int i = 0; i < order.length; i++) {
            order[i] = i;
        }
        List<EpochLoss> history = new ArrayList<>();
        // epoch 0 is POD-k itself: a run that never beats it on the watched split keeps it
        double best = hasVal ? val.mse(model.reconstruct(val.coefficients())) : train.mse(model.reconstruct(train.coefficients()));
        int bestEpoch = 0;
        INDArray bestParams = net.params().dup();
        boolean stopped = false;
        long start = System.nanoTime();
        for (int epoch = 1; epoch <= conf.epochs(); epoch++) {
            double progress = conf.epochs() == 1 ? 0 : (epoch - 1) / (double) (conf.epochs() - 1);
            net.setLearningRate(conf.learningRate() * (0.01 + 0.99 * 0.5 * (1 + Math.cos(Math.PI * progress))));
            shuffleInPlace(order, shuffle);
            for (int from = 0; from < order.length; from += conf.batchSize()) {
                int to = Math.min(order.length, from + conf.batchSize());
                int[] idx = new int[to - from];
                for (int i = from; i < to; i++) {
                    idx[i - from] = order[i];
                }
                net.fit(new DataSet(x.getRows(idx), y.getRows(idx)));
            }
            double trainMse = train.mse(model.reconstruct(train.coefficients()));
            double valMse = hasVal ? val.mse(model.reconstruct(val.coefficients())) : Double.NaN;
            history.add(new EpochLoss(epoch, trainMse, valMse));
            double watched = hasVal ? valMse : trainMse;
            if (!Double.isFinite(watched)) {
                break; // diverged: keep the best epoch so far, the guardrail reports it if it is poor
            }
            if (watched < best) {
                best = watched;
                bestEpoch = epoch;
                bestParams = net.params().dup();
            } else if (epoch - bestEpoch >= conf.patience()) {
                stopped = true;
                break;
            }
        }
        net.setParams(bestParams);
        return new Fitted(model, latent, n, history, bestEpoch, stopped, conf.epochs(), (System.nanoTime() - start) / 1e9);
    }

    private static ComputationGraphConfiguration graph(int n, int latent, RomConf.PodAe conf, long seed) {
        int[] hidden = conf.hidden();
        ComputationGraphConfiguration.GraphBuilder g = new NeuralNetConfiguration.Builder()
                .seed(seed).dataType(DataType.DOUBLE).updater(new Adam(conf.learningRate()))
                .weightInit(WeightInit.XAVIER).graphBuilder().addInputs("in");
        String prev = "in";
        int width = n;
        for (int i = 0; i < hidden.length; i++) {
            g.addLayer("enc" + i, nonlinear(width, hidden[i], Activation.TANH, conf), prev);
            prev = "enc" + i;
            width = hidden[i];
        }
        g.addLayer("z_nonlinear", nonlinear(width, latent, Activation.IDENTITY, conf), prev);
        g.addLayer("z_linear", linear(n, latent), "in");
        g.addVertex("z", new ElementWiseVertex(ElementWiseVertex.Op.Add), "z_nonlinear", "z_linear");
        prev = "z";
        width = latent;
        for (int i = hidden.length - 1; i >= 0; i--) {
            g.addLayer("dec" + i, nonlinear(width, hidden[i], Activation.TANH, conf), prev);
            prev = "dec" + i;
            width = hidden[i];
        }
        g.addLayer("y_nonlinear", nonlinear(width, n, Activation.IDENTITY, conf), prev);
        g.addLayer("y_linear", linear(latent, n), "z");
        g.addVertex("y", new ElementWiseVertex(ElementWiseVertex.Op.Add), "y_nonlinear", "y_linear");
        g.addLayer("out", new LossLayer.Builder(LossFunctions.LossFunction.MSE).activation(Activation.IDENTITY).build(), "y");
        return g.setOutputs("out").build();
    }

    private static DenseLayer nonlinear(int in, int out, Activation a, RomConf.PodAe conf) {
        DenseLayer.Builder b = new DenseLayer.Builder().nIn(in).nOut(out).activation(a);
        if (conf.weightDecay() > 0) {
            b.weightDecay(conf.weightDecay());
        }
        return b.build();
    }

    /** A bias-free linear map, not decayed: the POD path must be free to stay where it starts. */
    private static DenseLayer linear(int in, int out) {
        return new DenseLayer.Builder().nIn(in).nOut(out).activation(Activation.IDENTITY).hasBias(false).build();
    }

    private static void shuffleInPlace(int[] a, Random r) {
        for (int i = a.length - 1; i > 0; i--) {
            int j = r.nextInt(i + 1);
            int t = a[i];
            a[i] = a[j];
            a[j] = t;
        }
    }

    private INDArray inputs(double[][] coefficients) {
        INDArray x = Nd4j.create(coefficients);
        return x.diviRowVector(Nd4j.createFromArray(inputScale));
    }

    private INDArray targets(double[][] coefficients) {
        return Nd4j.create(coefficients).divi(outputScale);
    }

    /** Coefficients → latent vectors (rows x k). */
    double[][] encode(double[][] coefficients) {
        if (coefficients.length == 0) {
            return new double[0][];
        }
        return net.feedForward(inputs(coefficients), false).get("z").toDoubleMatrix();
    }

    /** Coefficients → latent → estimated coefficients (rows x N). */
    double[][] reconstruct(double[][] coefficients) {
        if (coefficients.length == 0) {
            return new double[0][];
        }
        return net.outputSingle(false, inputs(coefficients)).mul(outputScale).toDoubleMatrix();
    }
}
