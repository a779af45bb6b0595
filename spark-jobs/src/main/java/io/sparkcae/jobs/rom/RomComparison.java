package io.sparkcae.jobs.rom;

import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * POD's held-out error by number of modes beside the CAE's by latent size: the table rom prints, and a
 * one-line recommendation of the smaller reduced model.
 */
final class RomComparison {
    private final List<Double> podByModes;
    private final Map<Integer, Double> caeBySize;
    private final int rank99;

    /**
     * @param podByModes held-out MSE with 0, 1, 2, ... modes (index = modes; 0 = the train mean)
     * @param caeBySize  held-out MSE of the CAE by latent size, ascending sizes
     * @param rank99     modes POD needs for 99% of the energy
     */
    RomComparison(List<Double> podByModes, Map<Integer, Double> caeBySize, int rank99) {
        this.podByModes = podByModes;
        this.caeBySize = caeBySize;
        this.rank99 = rank99;
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

    String table() {
        StringBuilder b = new StringBuilder("rom: held-out (test) MSE, normalised units\n");
        b.append(String.format(Locale.ROOT, "%6s  %12s  %12s  %s%n", "size", "POD", "CAE", "POD modes for the CAE's error"));
        int rows = Math.max(podByModes.size() - 1, caeBySize.keySet().stream().mapToInt(Integer::intValue).max().orElse(0));
        for (int k = 1; k <= rows; k++) {
            String pod = k < podByModes.size() ? String.format(Locale.ROOT, "%.4e", podByModes.get(k)) : "-";
            Double cae = caeBySize.get(k);
            String caeText = cae == null ? "-" : String.format(Locale.ROOT, "%.4e", cae);
            String equiv = cae == null ? "" : modesText(podModesFor(cae));
            b.append(String.format(Locale.ROOT, "%6d  %12s  %12s  %s%n", k, pod, caeText, equiv));
        }
        return b.toString();
    }

    String recommendation() {
        for (Map.Entry<Integer, Double> e : caeBySize.entrySet()) {
            int k = e.getKey();
            if (k < podByModes.size() && e.getValue() < podByModes.get(k)) {
                return String.format(Locale.ROOT, "a %d-d CAE latent (held-out MSE %.3e) beats POD with %s"
                        + " (%.3e) and matches POD with %s; POD needs %d modes for 99%% of the energy", k, e.getValue(),
                        modesText(k), podByModes.get(k), modesText(podModesFor(e.getValue())), rank99);
            }
        }
        int r = Math.min(rank99, podByModes.size() - 1);
        return String.format(Locale.ROOT, "POD is as good as the CAE at every latent size tried; use POD with %d modes"
                + " (99%% of the energy, held-out MSE %.3e)", rank99, podByModes.get(r));
    }

    private String modesText(int modes) {
        return modes < 0 ? "more than " + (podByModes.size() - 1) + " modes" : modes + (modes == 1 ? " mode" : " modes");
    }
}
