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

/** error_vs_latent_size.png: POD's held-out error by number of modes, and the CAE at its latent size. */
final class RomFigures {
    private RomFigures() {
    }

    static void errorVsSize(List<Double> podCurve, int latent, double caeMse, String dir, Configuration hadoop)
            throws IOException {
        double[] k = new double[podCurve.size()];
        double[] e = new double[podCurve.size()];
        for (int i = 0; i < k.length; i++) {
            k[i] = i + 1;
            e[i] = podCurve.get(i);
        }
        XYChart chart = new XYChartBuilder().width(800).height(500).title("Held-out reconstruction error vs latent size")
                .xAxisTitle("latent size (POD modes)").yAxisTitle("test MSE (normalised units)").build();
        chart.getStyler().setYAxisLogarithmic(true);
        if (k.length > 0) {
            chart.addSeries("POD", k, e);
        }
        chart.addSeries("CAE", new double[]{latent}, new double[]{caeMse});
        Path tmp = Files.createTempFile("sparkcae-rom", ".png");
        try {
            BitmapEncoder.saveBitmap(chart, tmp.toString(), BitmapEncoder.BitmapFormat.PNG);
            RunFiles.copyLocal(tmp, dir, "error_vs_latent_size.png", hadoop);
        } finally {
            Files.deleteIfExists(tmp);
        }
    }
}
