package io.sparkcae.jobs.rom;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import java.util.TreeSet;

/**
 * POD's held-out error by number of modes beside each nonlinear reduced model's (the CAE, the POD-autoencoder)
 * by latent size: the table rom prints and writes (markdown and CSV), and a one-line recommendation.
 *
 * <p>The recommendation is the nonlinear model and size that saves the most POD modes: among those that
 * beat POD with as many modes as they have latent dimensions, the one for which (modes POD needs to match
 * its error) − (its latent size) is largest, the smaller size on a tie. A model that matches POD's error
 * with fewer dimensions is what a reduced model is for; the smallest size that merely beats POD may be far
 * worse than the next one.
 */
final class RomComparison {
    private final List<Double> podByModes;
    private final Map<String, Map<Integer, Double>> models;
    private final int rank99;

    /**
     * @param podByModes held-out MSE with 0, 1, 2, ... modes (index = modes; 0 = the train mean)
     * @param models     each nonlinear model's held-out MSE by latent size, by display name, in column order
     * @param rank99     modes POD needs for 99% of the energy
     */
    RomComparison(List<Double> podByModes, Map<String, Map<Integer, Double>> models, int rank99) {
        this.podByModes = podByModes;
        this.models = new LinkedHashMap<>();
        models.forEach((name, curve) -> this.models.put(name, new TreeMap<>(curve)));
        this.rank99 = rank99;
    }

    /** The CAE alone beside POD. */
    static RomComparison ofCae(List<Double> podByModes, Map<Integer, Double> caeBySize, int rank99) {
        return new RomComparison(podByModes, Map.of("CAE", caeBySize), rank99);
    }

    /** Fewest POD modes whose held-out error is at most {@code mse}, or -1 if none up to the curve's end. */
    int podModesFor(double mse) {
        for (int k = 0; k < podByModes.size(); k++) {
            if (podByModes.get(k) <= mse) {
                return k;
            }
        }
        return -1;
    }

    private TreeSet<Integer> sizes() {
        TreeSet<Integer> sizes = new TreeSet<>();
        for (int k = 1; k < podByModes.size(); k++) {
            sizes.add(k);
        }
        models.values().forEach(c -> sizes.addAll(c.keySet()));
        return sizes;
    }

    /** The best nonlinear model at size k: name and error, or null when none was built for k. */
    private Map.Entry<String, Double> bestAt(int k) {
        Map.Entry<String, Double> best = null;
        for (Map.Entry<String, Map<Integer, Double>> m : models.entrySet()) {
            Double v = m.getValue().get(k);
            if (v != null && (best == null || v < best.getValue())) {
                best = Map.entry(m.getKey(), v);
            }
        }
        return best;
    }

    private Double pod(int k) {
        return k < podByModes.size() ? podByModes.get(k) : null;
    }

    String table() {
        StringBuilder b = new StringBuilder(String.format(Locale.ROOT,
                "rom: held-out (test) MSE, normalised units; the train mean scores %.4e%n", podByModes.get(0)));
        b.append(String.format(Locale.ROOT, "%6s  %12s", "size", "POD"));
        for (String name : models.keySet()) {
            b.append(String.format(Locale.ROOT, "  %12s", name));
        }
        b.append("  POD modes for the best nonlinear error\n");
        for (int k : sizes()) {
            b.append(String.format(Locale.ROOT, "%6d  %12s", k, text(pod(k))));
            for (Map<Integer, Double> curve : models.values()) {
                b.append(String.format(Locale.ROOT, "  %12s", text(curve.get(k))));
            }
            Map.Entry<String, Double> best = bestAt(k);
            b.append(best == null ? "" : "  " + modesText(podModesFor(best.getValue())) + " (" + best.getKey() + ")");
            b.append('\n');
        }
        return b.toString();
    }

    /** The table as markdown: one row per latent size, a first row for the train mean. */
    String markdown() {
        StringBuilder b = new StringBuilder("| latent size | POD |");
        models.keySet().forEach(n -> b.append(' ').append(n).append(" |"));
        b.append(" best | POD modes to match the best |\n|---:|---:|");
        models.keySet().forEach(n -> b.append("---:|"));
        b.append("---|---:|\n");
        b.append("| 0 (train mean) | ").append(text(podByModes.get(0))).append(" |");
        models.keySet().forEach(n -> b.append(" |"));
        b.append(" | |\n");
        for (int k : sizes()) {
            b.append("| ").append(k).append(" | ").append(text(pod(k))).append(" |");
            for (Map<Integer, Double> curve : models.values()) {
                b.append(' ').append(text(curve.get(k))).append(" |");
            }
            Map.Entry<String, Double> best = bestAt(k);
            String winner = best == null || (pod(k) != null && best.getValue() >= pod(k)) ? "POD" : best.getKey();
            b.append(' ').append(winner).append(" | ")
                    .append(best == null ? "" : modesText(podModesFor(best.getValue()))).append(" |\n");
        }
        return b.toString();
    }

    /** The table as CSV (empty cells where a model has no size); latent size 0 is the train mean. */
    String csv() {
        StringBuilder b = new StringBuilder("latent_size,pod");
        models.keySet().forEach(n -> b.append(',').append(n.toLowerCase(Locale.ROOT).replace('-', '_')));
        b.append('\n').append(0).append(',').append(podByModes.get(0));
        models.keySet().forEach(n -> b.append(','));
        b.append('\n');
        for (int k : sizes()) {
            b.append(k).append(',').append(pod(k) == null ? "" : pod(k).toString());
            for (Map<Integer, Double> curve : models.values()) {
                Double v = curve.get(k);
                b.append(',').append(v == null ? "" : v.toString());
            }
            b.append('\n');
        }
        return b.toString();
    }

    /** The table's rows for metrics.json. */
    List<Map<String, Object>> rows() {
        List<Map<String, Object>> out = new ArrayList<>();
        for (int k : sizes()) {
            Map<String, Object> row = new LinkedHashMap<>();
            row.put("latent_size", k);
            if (pod(k) != null) {
                row.put("pod", pod(k));
            }
            models.forEach((name, curve) -> {
                if (curve.containsKey(k)) {
                    row.put(name.toLowerCase(Locale.ROOT).replace('-', '_'), curve.get(k));
                }
            });
            out.add(row);
        }
        return out;
    }

    String recommendation() {
        int bestSize = -1;
        int bestSaved = Integer.MIN_VALUE;
        Map.Entry<String, Double> pick = null;
        for (int k : sizes()) {
            Map.Entry<String, Double> best = bestAt(k);
            if (best == null || pod(k) == null || best.getValue() >= pod(k)) {
                continue;
            }
            int match = podModesFor(best.getValue());
            int saved = (match < 0 ? podByModes.size() : match) - k;
            if (saved > bestSaved) {
                bestSaved = saved;
                bestSize = k;
                pick = best;
            }
        }
        if (pick != null) {
            return String.format(Locale.ROOT, "a %d-d %s latent (held-out MSE %.3e) beats POD with %s (%.3e) and matches"
                    + " POD with %s; POD needs %d modes for 99%% of the energy", bestSize, pick.getKey(),
                    pick.getValue(), modesText(bestSize), pod(bestSize), modesText(podModesFor(pick.getValue())), rank99);
        }
        int r = Math.min(rank99, podByModes.size() - 1);
        return String.format(Locale.ROOT, "POD is as good as the %s at every latent size tried; use POD with %d modes"
                + " (99%% of the energy, held-out MSE %.3e)", String.join(" and the ", models.keySet()), rank99,
                podByModes.get(r));
    }

    private static String text(Double v) {
        return v == null ? "-" : String.format(Locale.ROOT, "%.4e", v);
    }

    private String modesText(int modes) {
        return modes < 0 ? "more than " + (podByModes.size() - 1) + " modes" : modes + (modes == 1 ? " mode" : " modes");
    }
}
