package io.sparkcae.core.report;

import java.awt.Color;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.function.ToDoubleFunction;
import org.knowm.xchart.BitmapEncoder;
import org.knowm.xchart.XYChart;
import org.knowm.xchart.XYChartBuilder;
import org.knowm.xchart.XYSeries;
import org.knowm.xchart.style.Styler;
import org.knowm.xchart.style.markers.SeriesMarkers;

/** Train/validation loss per epoch as a PNG line chart. */
public final class LossCurvePlot {

    public static final int WIDTH = 800;
    public static final int HEIGHT = 500;
    /** Fixed series colours so figures from different runs look alike side by side. */
    public static final Color TRAIN_COLOR = new Color(0x1F77B4);
    public static final Color VAL_COLOR = new Color(0xFF7F0E);

    private LossCurvePlot() {
    }

    /**
     * Points whose loss is NaN or infinite are left out of that series; a series with no point
     * left is left out of the chart (and its legend). One epoch is drawn as a single marker.
     *
     * @throws IllegalArgumentException when {@code epochs} is empty
     */
    public static void write(List<EpochLoss> epochs, Path png) throws IOException {
        if (epochs == null || epochs.isEmpty()) {
            throw new IllegalArgumentException("no epochs to plot");
        }
        // Drivers run on servers without a display; AWT must not try to open one. Only effective
        // before AWT starts up, which is why it is not left to the caller.
        if (System.getProperty("java.awt.headless") == null) {
            System.setProperty("java.awt.headless", "true");
        }
        List<EpochLoss> sorted = new ArrayList<>(epochs);
        sorted.sort(Comparator.comparingInt(EpochLoss::epoch));

        XYChart chart = new XYChartBuilder().width(WIDTH).height(HEIGHT)
                .title("Loss").xAxisTitle("epoch").yAxisTitle("MSE per pixel").build();
        chart.getStyler().setLegendPosition(Styler.LegendPosition.InsideNE);
        chart.getStyler().setXAxisDecimalPattern("0");
        addSeries(chart, "train", sorted, EpochLoss::trainLoss, TRAIN_COLOR);
        addSeries(chart, "val", sorted, EpochLoss::valLoss, VAL_COLOR);
        PngFile.write(BitmapEncoder.getBufferedImage(chart), png);
    }

    private static void addSeries(XYChart chart, String name, List<EpochLoss> epochs,
                                  ToDoubleFunction<EpochLoss> loss, Color color) {
        List<Double> xs = new ArrayList<>();
        List<Double> ys = new ArrayList<>();
        for (EpochLoss e : epochs) {
            double y = loss.applyAsDouble(e);
            if (Double.isFinite(y)) {
                xs.add((double) e.epoch());
                ys.add(y);
            }
        }
        if (xs.isEmpty()) {
            return; // xchart rejects empty series
        }
        XYSeries series = chart.addSeries(name, xs, ys);
        series.setLineColor(color);
        series.setMarkerColor(color);
        series.setMarker(SeriesMarkers.CIRCLE);
    }
}
