package io.sparkcae.jobs.report;

import io.sparkcae.core.metrics.PodBasis;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.knowm.xchart.BitmapEncoder;
import org.knowm.xchart.XYChart;
import org.knowm.xchart.XYChartBuilder;
import org.knowm.xchart.XYSeries;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

import static org.apache.spark.sql.functions.col;

/** A scatter plot of latents on their first two principal components, one colour per label. */
final class LatentProjection {
    private static final int MAX_POINTS = 5000;

    private LatentProjection() {
    }

    /** @return false when there are too few latents (or dimensions) to project */
    static boolean write(SparkSession spark, String latentsDir, Path png) throws java.io.IOException {
        List<Row> rows = spark.read().parquet(latentsDir).select(col("z"), col("label"))
                .orderBy(col("id")).limit(MAX_POINTS).collectAsList();
        if (rows.size() < 3 || rows.get(0).isNullAt(0) || rows.get(0).getList(0).size() < 2) {
            return false;
        }
        float[][] z = new float[rows.size()][];
        for (int i = 0; i < z.length; i++) {
            List<Object> v = rows.get(i).getList(0);
            z[i] = new float[v.size()];
            for (int k = 0; k < z[i].length; k++) {
                z[i][k] = ((Number) v.get(k)).floatValue();
            }
        }
        PodBasis pca = PodBasis.fit(z);
        if (pca.modeCount() < 2) {
            return false;
        }
        Map<String, double[][]> byLabel = new TreeMap<>();
        Map<String, Integer> counts = new TreeMap<>();
        for (Row r : rows) {
            counts.merge(r.isNullAt(1) ? "all" : "label " + r.getInt(1), 1, Integer::sum);
        }
        counts.forEach((k, n) -> byLabel.put(k, new double[2][n]));
        Map<String, Integer> filled = new TreeMap<>();
        for (int i = 0; i < z.length; i++) {
            String key = rows.get(i).isNullAt(1) ? "all" : "label " + rows.get(i).getInt(1);
            double[] c = pca.project(z[i], 2);
            int at = filled.merge(key, 1, Integer::sum) - 1;
            byLabel.get(key)[0][at] = c[0];
            byLabel.get(key)[1][at] = c[1];
        }
        XYChart chart = new XYChartBuilder().width(800).height(700).title("Latents, first two principal components")
                .xAxisTitle("PC 1").yAxisTitle("PC 2").build();
        chart.getStyler().setDefaultSeriesRenderStyle(XYSeries.XYSeriesRenderStyle.Scatter);
        chart.getStyler().setMarkerSize(3);
        byLabel.forEach((k, xy) -> chart.addSeries(k, xy[0], xy[1]));
        BitmapEncoder.saveBitmap(chart, png.toString(), BitmapEncoder.BitmapFormat.PNG);
        return true;
    }
}
