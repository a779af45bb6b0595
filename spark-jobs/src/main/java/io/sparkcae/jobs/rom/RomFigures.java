package io.sparkcae.jobs.rom;

import io.sparkcae.jobs.common.RunFiles;
import org.apache.hadoop.conf.Configuration;
import org.knowm.xchart.BitmapEncoder;
import org.knowm.xchart.XYChart;
import org.knowm.xchart.XYChartBuilder;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

/**
 * error_vs_latent_size.png: POD's held-out error by number of modes beside each nonlinear model's (CAE, POD-AE)
 * by latent size, with the train mean as a reference line.
 */
final class RomFigures {
    private RomFigures() {
    }

    /**
     * @param podCurve  POD's held-out error for 1, 2, ... modes
     * @param models    each nonlinear model's held-out error by latent size (the CAE: one point without a sweep)
     * @param meanMse   the error of predicting the train mean (0 modes), drawn as a reference line
     */
    static void errorVsSize(List<Double> podCurve, Map<String, Map<Integer, Double>> models, double meanMse, String dir,
                            Configuration hadoop) throws IOException {
        double[] k = new double[podCurve.size()];
        double[] e = new double[podCurve.size()];
        for (int i = 0; i < k.length; i++) {
            k[i] = i + 1;
            e[i] = Math.max(podCurve.get(i), 1e-12); // log axis: an exact fit would be -infinity
        }
        XYChart chart = new XYChartBuilder().width(800).height(500).title("Held-out reconstruction error vs latent size")
                .xAxisTitle("latent size / number of POD modes").yAxisTitle("test MSE (normalised units)").build();
        chart.getStyler().setYAxisLogarithmic(true);
        if (k.length > 0) {
            chart.addSeries("POD", k, e);
        }
        double right = Math.max(k.length, 1);
        for (Map.Entry<String, Map<Integer, Double>> m : models.entrySet()) {
            if (m.getValue().isEmpty()) {
                continue;
            }
            double[] ck = m.getValue().keySet().stream().mapToDouble(Integer::doubleValue).toArray();
            double[] ce = m.getValue().values().stream().mapToDouble(v -> Math.max(v, 1e-12)).toArray();
            chart.addSeries(m.getValue().size() > 1 ? m.getKey() + " (one model per size)" : m.getKey(), ck, ce);
            right = Math.max(right, ck[ck.length - 1]);
        }
        chart.addSeries("train mean (0 modes)", new double[]{1, right}, new double[]{meanMse, meanMse})
                .setMarker(org.knowm.xchart.style.markers.SeriesMarkers.NONE);
        Path tmp = Files.createTempFile("sparkcae-rom", ".png");
        try {
            BitmapEncoder.saveBitmap(chart, tmp.toString(), BitmapEncoder.BitmapFormat.PNG);
            RunFiles.copyLocal(tmp, dir, "error_vs_latent_size.png", hadoop);
        } finally {
            Files.deleteIfExists(tmp);
        }
    }
}
