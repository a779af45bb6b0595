package io.sparkcae.jobs.score;

import io.sparkcae.core.metrics.RocCurve;
import io.sparkcae.core.report.ResidualMapImage;
import io.sparkcae.core.tensor.FloatCodec;
import io.sparkcae.core.tensor.PatchShape;
import io.sparkcae.jobs.common.RunFiles;
import org.apache.hadoop.conf.Configuration;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.knowm.xchart.BitmapEncoder;
import org.knowm.xchart.CategoryChart;
import org.knowm.xchart.CategoryChartBuilder;
import org.knowm.xchart.XYChart;
import org.knowm.xchart.XYChartBuilder;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import static org.apache.spark.sql.functions.col;

/** Figures of a score run: ROC curves, score histograms with the threshold, residual heat maps. */
final class ScoreFigures {
    private ScoreFigures() {
    }

    /** One ROC curve per score (legend name -> test scores), with the chance diagonal. */
    static void roc(Map<String, double[]> scores, boolean[] anomalous, String dir, Configuration hadoop)
            throws IOException {
        XYChart chart = new XYChartBuilder().width(600).height(600).title("ROC (test split)")
                .xAxisTitle("false positive rate").yAxisTitle("true positive rate").build();
        chart.getStyler().setMarkerSize(0);
        chart.getStyler().setXAxisDecimalPattern("0.0");
        chart.getStyler().setYAxisDecimalPattern("0.0");
        chart.getStyler().setXAxisMin(0.0).setXAxisMax(1.0).setYAxisMin(0.0).setYAxisMax(1.0);
        chart.getStyler().setLegendPosition(org.knowm.xchart.style.Styler.LegendPosition.InsideSE);
        for (Map.Entry<String, double[]> e : scores.entrySet()) {
            RocCurve c = RocCurve.points(e.getValue(), anomalous);
            chart.addSeries(e.getKey(), c.fpr(), c.tpr());
        }
        chart.addSeries("chance", new double[]{0, 1}, new double[]{0, 1});
        save(chart, dir, "roc.png", hadoop);
    }

    /** Val and test distributions of the score the threshold applies to ({@code name}), on a shared binning. */
    static void histogram(String name, double[] val, double[] test, double threshold, String dir, Configuration hadoop)
            throws IOException {
        // scores such as the combined z-score go below zero: bin [min(0, lowest), highest]
        double min = 0;
        double max = 0;
        for (double[] values : new double[][]{val, test}) {
            for (double v : values) {
                min = Math.min(min, v);
                max = Math.max(max, v);
            }
        }
        int bins = 40;
        double width = (max - min) / bins;
        List<String> edges = new ArrayList<>();
        for (int b = 0; b < bins; b++) {
            edges.add(String.format(java.util.Locale.ROOT, "%.4g", min + (b + 0.5) * width));
        }
        CategoryChart chart = new CategoryChartBuilder().width(900).height(500)
                .title(String.format(java.util.Locale.ROOT, "Per-patch %s (threshold %.5g)", name, threshold))
                .xAxisTitle(name).yAxisTitle("fraction of patches").build();
        chart.getStyler().setOverlapped(true);
        chart.getStyler().setXAxisLabelRotation(90);
        chart.addSeries("val", edges, fractions(val, bins, min, width));
        if (test.length > 0) {
            chart.addSeries("test", edges, fractions(test, bins, min, width));
        }
        save(chart, dir, "score_histogram.png", hadoop);
    }

    private static List<Double> fractions(double[] values, int bins, double min, double width) {
        double[] counts = new double[bins];
        for (double v : values) {
            counts[Math.max(0, Math.min(bins - 1, (int) ((v - min) / Math.max(width, 1e-12))))]++;
        }
        List<Double> out = new ArrayList<>();
        for (double c : counts) {
            out.add(values.length == 0 ? 0 : c / values.length);
        }
        return out;
    }

    /** Heat maps of |residual| for the highest-error test patches (2D, first channel). */
    static void residualMaps(Dataset<Row> test, PatchShape shape, int count, String dir, Configuration hadoop)
            throws IOException {
        if (count == 0 || shape.spatialRank() != 2) {
            return;
        }
        List<Row> worst = test.orderBy(col("mse").desc(), col("id")).limit(count).select("id", "residual").collectAsList();
        Path tmp = Files.createTempDirectory("sparkcae-residuals");
        try {
            int plane = shape.spatial(0) * shape.spatial(1);
            int rank = 0;
            for (Row r : worst) {
                float[] res = FloatCodec.decode((byte[]) r.get(1));
                float[] first = java.util.Arrays.copyOf(res, plane);
                String name = String.format(java.util.Locale.ROOT, "residual_%02d.png", rank++);
                Path png = tmp.resolve(name);
                ResidualMapImage.write(first, shape.spatial(0), shape.spatial(1), png,
                        Math.max(1, 112 / Math.max(shape.spatial(0), shape.spatial(1))));
                RunFiles.copyLocal(png, dir + "/residuals", name, hadoop);
            }
        } finally {
            try (var s = Files.walk(tmp)) {
                s.sorted(java.util.Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
            }
        }
    }

    private static void save(org.knowm.xchart.internal.chartpart.Chart<?, ?> chart, String dir, String name,
                             Configuration hadoop) throws IOException {
        Path tmp = Files.createTempFile("sparkcae-figure", ".png");
        try {
            BitmapEncoder.saveBitmap(chart, tmp.toString(), BitmapEncoder.BitmapFormat.PNG);
            RunFiles.copyLocal(tmp, dir, name, hadoop);
        } finally {
            Files.deleteIfExists(tmp);
        }
    }
}
