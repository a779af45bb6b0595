package io.sparkcae.jobs.rom;

import io.sparkcae.core.config.RomConf;
import io.sparkcae.core.report.EpochLoss;

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
 *
 * <p>The layers are plain Java ({@link DenseLayer}): with a few dozen units and a few hundred rows, a deep
 * learning library spent ~0.2-0.6 s per epoch in per-call overhead (fit, two evaluation passes, the learning
 * rate update, a parameter copy) on a few MFLOP of arithmetic; these loops take milliseconds.
 */
final class PodAutoencoder {
    private final DenseLayer[] encoder;
    private final DenseLayer zNonlinear;
    private final DenseLayer zLinear;
    private final DenseLayer[] decoder;
    private final DenseLayer yNonlinear;
    private final DenseLayer yLinear;
    private final DenseLayer[] all;
    private final double[] inputScale;
    private final double outputScale;

    private PodAutoencoder(int n, int latent, RomConf.PodAe conf, long seed, double[] inputScale, double outputScale) {
        Random init = new Random(seed);
        int[] hidden = conf.hidden();
        encoder = new DenseLayer[hidden.length];
        int width = n;
        for (int i = 0; i < hidden.length; i++) {
            encoder[i] = new DenseLayer(width, hidden[i], true, true, true, init);
            width = hidden[i];
        }
        zNonlinear = new DenseLayer(width, latent, false, true, true, init);
        // the POD path: bias-free and not decayed, so it is free to stay where it starts
        zLinear = new DenseLayer(n, latent, false, false, false, init);
        decoder = new DenseLayer[hidden.length];
        width = latent;
        for (int i = hidden.length - 1; i >= 0; i--) {
            decoder[hidden.length - 1 - i] = new DenseLayer(width, hidden[i], true, true, true, init);
            width = hidden[i];
        }
        yNonlinear = new DenseLayer(width, n, false, true, true, init);
        yLinear = new DenseLayer(latent, n, false, false, false, init);
        List<DenseLayer> layers = new ArrayList<>(List.of(encoder));
        layers.addAll(List.of(zNonlinear, zLinear));
        layers.addAll(List.of(decoder));
        layers.addAll(List.of(yNonlinear, yLinear));
        all = layers.toArray(new DenseLayer[0]);
        this.inputScale = inputScale;
        this.outputScale = outputScale;
        // the linear paths start as POD-k: z = first k standardised coefficients, ŷ_j = σ_j / scale · z_j; the
        // nonlinear paths' last layers start at zero
        zLinear.zero();
        yLinear.zero();
        for (int j = 0; j < latent; j++) {
            zLinear.w[j * latent + j] = 1.0;
            yLinear.w[j * n + j] = inputScale[j] / outputScale;
        }
        zNonlinear.zero();
        yNonlinear.zero();
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
        PodAutoencoder model = new PodAutoencoder(n, latent, conf, seed, sigma, scale);

        double[][] x = model.inputs(train.coefficients());
        double[][] y = model.targets(train.coefficients());
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
        double[][][] bestParams = model.save();
        boolean stopped = false;
        int step = 0;
        long start = System.nanoTime();
        for (int epoch = 1; epoch <= conf.epochs(); epoch++) {
            double progress = conf.epochs() == 1 ? 0 : (epoch - 1) / (double) (conf.epochs() - 1);
            double lr = conf.learningRate() * (0.01 + 0.99 * 0.5 * (1 + Math.cos(Math.PI * progress)));
            shuffleInPlace(order, shuffle);
            for (int from = 0; from < order.length; from += conf.batchSize()) {
                int to = Math.min(order.length, from + conf.batchSize());
                double[][] bx = new double[to - from][];
                double[][] by = new double[to - from][];
                for (int i = from; i < to; i++) {
                    bx[i - from] = x[order[i]];
                    by[i - from] = y[order[i]];
                }
                model.gradientStep(bx, by, lr, ++step, conf.weightDecay());
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
                bestParams = model.save();
            } else if (epoch - bestEpoch >= conf.patience()) {
                stopped = true;
                break;
            }
        }
        model.restore(bestParams);
        return new Fitted(model, latent, n, history, bestEpoch, stopped, conf.epochs(), (System.nanoTime() - start) / 1e9);
    }

    /** (z, ŷ) for standardised inputs x: z = P x + E(x), ŷ = Q z + D(z). */
    private double[][][] forward(double[][] x) {
        double[][] h = x;
        for (DenseLayer l : encoder) {
            h = l.forward(h);
        }
        double[][] z = add(zNonlinear.forward(h), zLinear.forward(x));
        h = z;
        for (DenseLayer l : decoder) {
            h = l.forward(h);
        }
        return new double[][][]{z, add(yNonlinear.forward(h), yLinear.forward(z))};
    }

    /** One Adam step on the mean squared error of a batch. */
    private void gradientStep(double[][] x, double[][] y, double lr, int step, double weightDecay) {
        double[][] yHat = forward(x)[1];
        int n = y[0].length;
        double[][] dy = new double[y.length][n];
        double norm = 2.0 / ((double) y.length * n);
        for (int r = 0; r < y.length; r++) {
            for (int j = 0; j < n; j++) {
                dy[r][j] = norm * (yHat[r][j] - y[r][j]);
            }
        }
        double[][] d = yNonlinear.backward(dy);
        for (int i = decoder.length - 1; i >= 0; i--) {
            d = decoder[i].backward(d);
        }
        double[][] dz = add(d, yLinear.backward(dy));
        d = zNonlinear.backward(dz);
        for (int i = encoder.length - 1; i >= 0; i--) {
            d = encoder[i].backward(d);
        }
        zLinear.backward(dz);
        for (DenseLayer l : all) {
            l.adamStep(lr, step, weightDecay);
        }
    }

    /** a + b, new (the layers keep their outputs for the backward pass). */
    private static double[][] add(double[][] a, double[][] b) {
        double[][] sum = new double[a.length][];
        for (int r = 0; r < a.length; r++) {
            sum[r] = new double[a[r].length];
            for (int j = 0; j < a[r].length; j++) {
                sum[r][j] = a[r][j] + b[r][j];
            }
        }
        return sum;
    }

    private double[][][] save() {
        double[][][] s = new double[all.length][][];
        for (int i = 0; i < all.length; i++) {
            s[i] = all[i].save();
        }
        return s;
    }

    private void restore(double[][][] saved) {
        for (int i = 0; i < all.length; i++) {
            all[i].restore(saved[i]);
        }
    }

    private static void shuffleInPlace(int[] a, Random r) {
        for (int i = a.length - 1; i > 0; i--) {
            int j = r.nextInt(i + 1);
            int t = a[i];
            a[i] = a[j];
            a[j] = t;
        }
    }

    private double[][] inputs(double[][] coefficients) {
        double[][] x = new double[coefficients.length][];
        for (int r = 0; r < x.length; r++) {
            x[r] = new double[coefficients[r].length];
            for (int j = 0; j < x[r].length; j++) {
                x[r][j] = coefficients[r][j] / inputScale[j];
            }
        }
        return x;
    }

    private double[][] targets(double[][] coefficients) {
        double[][] y = new double[coefficients.length][];
        for (int r = 0; r < y.length; r++) {
            y[r] = new double[coefficients[r].length];
            for (int j = 0; j < y[r].length; j++) {
                y[r][j] = coefficients[r][j] / outputScale;
            }
        }
        return y;
    }

    /** Coefficients → latent vectors (rows x k). */
    double[][] encode(double[][] coefficients) {
        if (coefficients.length == 0) {
            return new double[0][];
        }
        return forward(inputs(coefficients))[0];
    }

    /** Coefficients → latent → estimated coefficients (rows x N). */
    double[][] reconstruct(double[][] coefficients) {
        if (coefficients.length == 0) {
            return new double[0][];
        }
        double[][] y = forward(inputs(coefficients))[1];
        for (double[] row : y) {
            for (int j = 0; j < row.length; j++) {
                row[j] *= outputScale;
            }
        }
        return y;
    }
}
