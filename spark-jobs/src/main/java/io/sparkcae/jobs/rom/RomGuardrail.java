package io.sparkcae.jobs.rom;

import io.sparkcae.core.report.EpochLoss;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

/**
 * Flags a nonlinear reduced model whose held-out error is no better than predicting the train mean, or than
 * POD with as many modes as it has latent dimensions, and names the measurable cause found in its training
 * history: an underfit (train error as high as the mean's), a train/validation gap, validation error still
 * falling at the last epoch, or too few epochs. A model that loses to POD is not wrong in itself, but a
 * user reading only the table would blame the method for what is usually a training budget.
 */
final class RomGuardrail {
    /** Epochs below which a run counts as too short, unless it stopped early on its own. */
    static final int FEW_EPOCHS = 20;
    /** Validation above this multiple of the train error at the best epoch counts as a gap. */
    static final double GAP_RATIO = 2.0;
    /** A fall of at least this fraction over the last fifth of the epochs counts as still falling. */
    static final double STILL_FALLING = 0.01;

    private RomGuardrail() {
    }

    /**
     * How a model trained: per-epoch train and validation error in field units (either may be NaN), the best
     * epoch (0 = unknown), whether early stopping ended it, and the config key that sets its epochs.
     */
    record Training(List<EpochLoss> history, int bestEpoch, boolean stoppedEarly, String epochsKey) {
        static Training unknown(String epochsKey) {
            return new Training(List.of(), 0, false, epochsKey);
        }
    }

    /** One warning: which model, what it loses to, and the causes found. */
    record Finding(String model, int latentSize, double heldOutMse, List<String> losesTo, List<String> causes) {
        String message() {
            return String.format(Locale.ROOT, "rom: the %d-d %s (held-out MSE %.4e) loses to %s; cause: %s", latentSize,
                    model, heldOutMse, String.join(" and to ", losesTo), String.join("; ", causes));
        }

        Map<String, Object> toMap() {
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("model", model);
            m.put("latent_size", latentSize);
            m.put("held_out_mse", heldOutMse);
            m.put("loses_to", losesTo);
            m.put("causes", causes);
            return m;
        }
    }

    /**
     * @param meanMse held-out error of the train mean (POD with 0 modes)
     * @param podMse  held-out error of POD with {@code latentSize} modes (NaN when POD has fewer modes)
     */
    static Optional<Finding> check(String model, int latentSize, double heldOutMse, double meanMse, double podMse,
                                   Training training) {
        List<String> losesTo = new ArrayList<>();
        if (!(heldOutMse < meanMse)) {
            losesTo.add(String.format(Locale.ROOT, "the train mean (%.4e)", meanMse));
        }
        if (!Double.isNaN(podMse) && !(heldOutMse < podMse)) {
            losesTo.add(String.format(Locale.ROOT, "POD with %d mode%s (%.4e)", latentSize, latentSize == 1 ? "" : "s",
                    podMse));
        }
        if (losesTo.isEmpty()) {
            return Optional.empty();
        }
        return Optional.of(new Finding(model, latentSize, heldOutMse, losesTo, causes(training, meanMse)));
    }

    static List<String> causes(Training t, double meanMse) {
        List<EpochLoss> h = t.history();
        List<String> causes = new ArrayList<>();
        if (h.isEmpty()) {
            causes.add("no training history was found to name a cause (metrics.jsonl of its train output)");
            return causes;
        }
        EpochLoss last = h.get(h.size() - 1);
        EpochLoss best = bestOf(t);
        double lastTrain = lastFinite(h);
        if (!Double.isNaN(lastTrain) && lastTrain >= 0.9 * meanMse) {
            causes.add(String.format(Locale.ROOT, "underfit: the train error %.4e at the last epoch is no lower than the"
                    + " train mean's %.4e, so it did not fit even the training data (learning rate, normalisation,"
                    + " capacity)", lastTrain, meanMse));
        }
        if (Double.isFinite(best.trainLoss()) && best.trainLoss() > 0 && Double.isFinite(best.valLoss())
                && best.valLoss() > GAP_RATIO * best.trainLoss()) {
            causes.add(String.format(Locale.ROOT, "train/val gap: at its best epoch %d the validation MSE %.4e is %.1fx"
                    + " the train error %.4e (overfitting: fewer parameters, more snapshots, weight decay)",
                    best.epoch(), best.valLoss(), best.valLoss() / best.trainLoss(), best.trainLoss()));
        }
        int window = Math.max(1, h.size() / 5);
        if (!t.stoppedEarly() && h.size() > window && best.epoch() == last.epoch()) {
            double before = h.get(h.size() - 1 - window).valLoss();
            double fall = (before - last.valLoss()) / before;
            if (Double.isFinite(fall) && fall >= STILL_FALLING) {
                causes.add(String.format(Locale.ROOT, "val loss still falling at the last epoch: %.1f%% lower than %d"
                        + " epoch%s before (raise %s)", 100 * fall, window, window == 1 ? "" : "s", t.epochsKey()));
            }
        }
        if (!t.stoppedEarly() && h.size() < FEW_EPOCHS) {
            causes.add(String.format(Locale.ROOT, "too few epochs: only %d ran (raise %s)", h.size(), t.epochsKey()));
        }
        if (causes.isEmpty()) {
            causes.add("no training cause in the history (train and validation agree and the validation error had"
                    + " stopped falling): the model itself limits it (size, architecture, latent size)");
        }
        return causes;
    }

    private static EpochLoss bestOf(Training t) {
        List<EpochLoss> h = t.history();
        if (t.bestEpoch() > 0) {
            for (EpochLoss e : h) {
                if (e.epoch() == t.bestEpoch()) {
                    return e;
                }
            }
        }
        EpochLoss best = h.get(h.size() - 1);
        for (EpochLoss e : h) {
            if (e.valLoss() < best.valLoss()) {
                best = e;
            }
        }
        return best;
    }

    private static double lastFinite(List<EpochLoss> h) {
        for (int i = h.size() - 1; i >= 0; i--) {
            if (Double.isFinite(h.get(i).trainLoss())) {
                return h.get(i).trainLoss();
            }
        }
        return Double.NaN;
    }
}
