package dev.sfd.core.distill.quality;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.awt.image.BufferedImage;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.knowm.xchart.XYChart;

class MetricPlotTest {

    private static Map<String, List<double[]>> series(double scale) {
        Map<String, List<double[]>> s = new LinkedHashMap<>();
        s.put("student", List.of(new double[] {2, 0.5 * scale}, new double[] {3, 0.2 * scale}));
        s.put("dpm++3m", List.of(new double[] {2, 40 * scale}, new double[] {3, 9 * scale}, new double[] {4, Double.NaN}));
        s.put("teacher@64", List.of(new double[] {2, 0.1 * scale}, new double[] {4, 0.1 * scale}));
        return s;
    }

    @Test
    void logAxisOnlyWhenValuesSpanMoreThanTwentyfold() {
        XYChart wide = MetricPlot.chart("t", "NFE", "FD", series(1));
        assertTrue(wide.getStyler().isYAxisLogarithmic(), "0.1 … 40 spans 400×");
        Map<String, List<double[]>> narrow = Map.of("a", List.of(new double[] {1, 1}, new double[] {2, 3}));
        assertFalse(MetricPlot.chart("t", "NFE", "FD", narrow).getStyler().isYAxisLogarithmic());
        assertEquals(List.of("student", "dpm++3m", "teacher@64"), List.copyOf(wide.getSeriesMap().keySet()));
        assertEquals(2, wide.getSeriesMap().get("dpm++3m").getXData().length, "the NaN point is left out");
    }

    @Test
    void writesPngAndSvgBesideIt(@TempDir Path dir) throws Exception {
        BufferedImage img = MetricPlot.render("mixture2d: FD vs NFE", "NFE", "FD", series(1));
        assertEquals(760, img.getWidth());
        assertEquals(480, img.getHeight());
        Path png = dir.resolve("plots/student-fd.png");
        MetricPlot.write(MetricPlot.chart("mixture2d: FD vs NFE", "NFE", "FD", series(1)), png);
        BufferedImage back = javax.imageio.ImageIO.read(png.toFile());
        assertEquals(760, back.getWidth(), "a PNG that reads back");
        String svg = Files.readString(dir.resolve("plots/student-fd.svg"));
        assertTrue(svg.startsWith("<?xml") && svg.contains("<svg"), svg.substring(0, Math.min(200, svg.length())));
    }

    @Test
    void nothingFiniteIsRefusedNamingTheSeries() {
        var e = assertThrows(IllegalArgumentException.class, () -> MetricPlot.chart("empty", "NFE", "FD",
                Map.of("student", List.<double[]>of(new double[] {2, Double.NaN}))));
        assertTrue(e.getMessage().contains("student"), e.getMessage());
    }
}
