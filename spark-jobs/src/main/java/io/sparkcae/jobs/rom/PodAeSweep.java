package io.sparkcae.jobs.rom;

import io.sparkcae.core.config.ConfKeys;
import io.sparkcae.core.config.RomConf;
import io.sparkcae.core.metrics.GramPod;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * The POD-autoencoder half of rom: projects the train, validation and test snapshots on the first N POD modes
 * (N from {@code rom.pod-ae.energy}, at least the largest latent size, at most {@code rom.pod-ae.max-modes})
 * and trains one {@link PodAutoencoder} per latent size on the train coefficients, stopping on the validation
 * ones; each is scored on the test split in the units of the field.
 */
final class PodAeSweep {
    private static final Logger LOG = LoggerFactory.getLogger(PodAeSweep.class);

    private PodAeSweep() {
    }

    /** One trained size: its held-out and train errors, and the fitted model with its history. */
    record Point(int latentSize, double testMse, double trainMse, PodAutoencoder.Fitted fitted) {
    }

    /** The sweep: the modes used, POD-N's floor on the test split, and one point per latent size. */
    record Result(int modes, double floorTestMse, List<Point> points, ProjectedSnapshots train, ProjectedSnapshots val,
                  ProjectedSnapshots test) {
    }

    static Result run(DistributedPod.Result fit, int[] sizes, RomConf.PodAe conf, long seed) {
        GramPod pod = fit.pod();
        int maxLatent = 0;
        for (int k : sizes) {
            maxLatent = Math.max(maxLatent, k);
        }
        int byEnergy = pod.spectrum().rankForEnergy(conf.energy());
        int n = Math.min(Math.min(Math.max(byEnergy, maxLatent), conf.maxModes()), pod.modeCount());
        long m = fit.features();
        ProjectedSnapshots train = new ProjectedSnapshots(pod.trainCoefficients(n), fit.trainSquares(), m);
        ProjectedSnapshots val = new ProjectedSnapshots(pod.coefficientsOf(fit.valCross(), fit.valCount(), n),
                fit.valSquares(), m);
        double[][] testCoefficients = new double[fit.heldOutCount()][];
        for (int r = 0; r < testCoefficients.length; r++) {
            testCoefficients[r] = pod.heldOutCoefficients(r, n);
        }
        ProjectedSnapshots test = new ProjectedSnapshots(testCoefficients, fit.heldOutSquares(), m);
        LOG.info(String.format(Locale.ROOT, "rom pod-ae: %d POD modes (%d hold %.4g%% of the train energy, %s = %d);"
                        + " their held-out floor is %.4e; %d train / %d val / %d test coefficient vectors", n, byEnergy,
                100 * conf.energy(), ConfKeys.POD_AE_MAX_MODES.path(), conf.maxModes(), test.floorMse(), train.rows(),
                val.rows(), test.rows()));
        List<Point> points = new ArrayList<>();
        for (int k : sizes) {
            if (k > n) {
                LOG.warn("rom pod-ae: latent size {} is more than the {} POD modes available; skipped", k, n);
                continue;
            }
            PodAutoencoder.Fitted f = PodAutoencoder.fit(train, val, k, conf, seed + k);
            double testMse = test.mse(f.model().reconstruct(test.coefficients()));
            double trainMse = train.mse(f.model().reconstruct(train.coefficients()));
            LOG.info(String.format(Locale.ROOT, "rom pod-ae: latent size %d: held-out MSE %.4e (train %.4e), best epoch"
                            + " %d of %d%s, %.1f s", k, testMse, trainMse, f.bestEpoch(), f.history().size(),
                    f.stoppedEarly() ? " (stopped early)" : "", f.seconds()));
            points.add(new Point(k, testMse, trainMse, f));
        }
        return new Result(n, test.floorMse(), points, train, val, test);
    }
}
