package dev.sfd.core.distill.quality;

import java.awt.BasicStroke;
import java.awt.Color;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.knowm.xchart.BitmapEncoder;
import org.knowm.xchart.VectorGraphicsEncoder;
import org.knowm.xchart.XYChart;
import org.knowm.xchart.XYChartBuilder;
import org.knowm.xchart.XYSeries;
import org.knowm.xchart.style.Styler;
import org.knowm.xchart.style.lines.SeriesLines;
import org.knowm.xchart.style.markers.SeriesMarkers;

/**
 * A line plot of one metric against NFE, drawn by XChart: one line with markers per sampler, the
 * high-NFE teacher reference ({@code teacher@…}) dashed without markers, the legend outside. The y
 * axis is logarithmic when every value is positive and they span more than a factor of 20. Written
 * as PNG, and as SVG beside it for documents.
 */
public final class MetricPlot {

    private static final int W = 760;
    private static final int H = 480;

    private MetricPlot() {
    }

    /** The chart of {@code series} (name → points {x, y}; non-finite y left out) with a title and axis labels. */
    public static XYChart chart(String title, String xLabel, String yLabel, Map<String, List<double[]>> series) {
        System.setProperty("java.awt.headless", "true");
        double yMin = Double.POSITIVE_INFINITY;
        double yMax = Double.NEGATIVE_INFINITY;
        for (List<double[]> pts : series.values()) {
            for (double[] p : pts) {
                if (Double.isFinite(p[1])) {
                    yMin = Math.min(yMin, p[1]);
                    yMax = Math.max(yMax, p[1]);
                }
            }
        }
        if (!Double.isFinite(yMin)) {
            throw new IllegalArgumentException("nothing to plot for '" + title + "': no finite value in " + series.keySet());
        }
        boolean log = yMin > 0 && yMax / yMin > 20;
        XYChart chart = new XYChartBuilder().width(W).height(H).title(title).xAxisTitle(xLabel)
                .yAxisTitle(yLabel + (log ? " (log scale)" : "")).build();
        var styler = chart.getStyler();
        styler.setLegendPosition(Styler.LegendPosition.OutsideE);
        styler.setChartBackgroundColor(Color.WHITE);
        styler.setPlotGridLinesColor(new Color(0xeeeeee));
        chart.getStyler().setYAxisLogarithmic(log);
        chart.getStyler().setDecimalPattern("#.###");
        for (var e : series.entrySet()) {
            List<Double> xs = new ArrayList<>();
            List<Double> ys = new ArrayList<>();
            for (double[] p : e.getValue()) {
                if (Double.isFinite(p[1]) && (!log || p[1] > 0)) {
                    xs.add(p[0]);
                    ys.add(p[1]);
                }
            }
            if (xs.isEmpty()) {
                continue;
            }
            XYSeries s = chart.addSeries(e.getKey(), xs, ys);
            if (e.getKey().startsWith("teacher@")) {
                s.setMarker(SeriesMarkers.NONE);
                s.setLineStyle(SeriesLines.DASH_DASH);
            } else {
                s.setMarker(SeriesMarkers.CIRCLE);
                s.setLineStyle(new BasicStroke(2.2f));
            }
        }
        return chart;
    }

    /** The chart as an image (for callers that compose images). */
    public static BufferedImage render(String title, String xLabel, String yLabel, Map<String, List<double[]>> series) {
        return BitmapEncoder.getBufferedImage(chart(title, xLabel, yLabel, series));
    }

    /** Plots one metric of a report (rows NFE, one line per sampler, the high-NFE teacher dashed); see {@link #write(XYChart, Path)}. */
    public static void write(QualityReport report, String metric, Path file) throws IOException {
        write(chart(report.dataset() + ": " + metric + " vs NFE (" + report.samples() + " samples)", "NFE", metric,
                report.series(metric)), file);
    }

    /** Writes {@code chart} to {@code file} (PNG) and as SVG beside it ({@code x.png} → {@code x.svg}). */
    public static void write(XYChart chart, Path file) throws IOException {
        Path png = file.toAbsolutePath();
        if (png.getParent() != null) {
            Files.createDirectories(png.getParent());
        }
        String base = withoutSuffix(png, ".png");
        BitmapEncoder.saveBitmap(chart, base, BitmapEncoder.BitmapFormat.PNG);
        VectorGraphicsEncoder.saveVectorGraphic(chart, base, VectorGraphicsEncoder.VectorGraphicsFormat.SVG);
    }

    /** XChart appends the format's suffix itself. */
    private static String withoutSuffix(Path file, String suffix) {
        String s = file.toString();
        return s.toLowerCase(Locale.ROOT).endsWith(suffix) ? s.substring(0, s.length() - suffix.length()) : s;
    }
}
