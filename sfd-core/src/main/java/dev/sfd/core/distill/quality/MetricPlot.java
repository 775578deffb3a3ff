package dev.sfd.core.distill.quality;

import java.awt.BasicStroke;
import java.awt.Color;
import java.awt.Font;
import java.awt.Graphics2D;
import java.awt.RenderingHints;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import javax.imageio.ImageIO;

/**
 * A line plot of one metric against NFE, drawn with java.awt into a BufferedImage (headless): axes
 * with ticks, one coloured line with markers per sampler, a legend. The y axis is logarithmic when
 * every value is positive and they span more than a factor of 20.
 */
public final class MetricPlot {

    private static final Color[] COLOURS = {new Color(0x1f77b4), new Color(0xff7f0e), new Color(0x2ca02c),
        new Color(0x9467bd), new Color(0xd62728), new Color(0x7f7f7f), new Color(0x8c564b), new Color(0xe377c2)};
    private static final int W = 760;
    private static final int H = 480;
    private static final int LEFT = 80;
    private static final int RIGHT = 200;
    private static final int TOP = 40;
    private static final int BOTTOM = 60;

    private MetricPlot() {
    }

    /** Renders {@code series} (name → points {x, y}) with a title and axis labels. */
    public static BufferedImage render(String title, String xLabel, String yLabel, Map<String, List<double[]>> series) {
        System.setProperty("java.awt.headless", "true");
        double xMin = Double.POSITIVE_INFINITY;
        double xMax = Double.NEGATIVE_INFINITY;
        double yMin = Double.POSITIVE_INFINITY;
        double yMax = Double.NEGATIVE_INFINITY;
        for (List<double[]> pts : series.values()) {
            for (double[] p : pts) {
                if (Double.isFinite(p[1])) {
                    xMin = Math.min(xMin, p[0]);
                    xMax = Math.max(xMax, p[0]);
                    yMin = Math.min(yMin, p[1]);
                    yMax = Math.max(yMax, p[1]);
                }
            }
        }
        if (!Double.isFinite(xMin)) {
            throw new IllegalArgumentException("nothing to plot for '" + title + "'");
        }
        boolean log = yMin > 0 && yMax / yMin > 20;
        if (xMax == xMin) {
            xMax = xMin + 1;
        }
        double lo = log ? Math.floor(Math.log10(yMin)) : yMin - 0.05 * (yMax - yMin + 1e-12);
        double hi = log ? Math.ceil(Math.log10(yMax)) : yMax + 0.05 * (yMax - yMin + 1e-12);
        if (hi == lo) {
            hi = lo + 1;
        }
        BufferedImage img = new BufferedImage(W, H, BufferedImage.TYPE_INT_RGB);
        Graphics2D g = img.createGraphics();
        try {
            g.setRenderingHint(RenderingHints.KEY_ANTIALIASING, RenderingHints.VALUE_ANTIALIAS_ON);
            g.setColor(Color.WHITE);
            g.fillRect(0, 0, W, H);
            int pw = W - LEFT - RIGHT;
            int ph = H - TOP - BOTTOM;
            Axis ax = new Axis(xMin, xMax, lo, hi, log, pw, ph);
            g.setFont(new Font(Font.SANS_SERIF, Font.PLAIN, 12));
            // grid and ticks
            double step = xStep(xMax - xMin); // 1 for NFE axes; a 1-2-5 step for wide axes (e.g. seconds)
            for (double x = Math.ceil(xMin / step) * step; x <= xMax + 1e-9; x += step) {
                int px = ax.px(x);
                g.setColor(new Color(0xeeeeee));
                g.drawLine(px, TOP, px, TOP + ph);
                g.setColor(Color.BLACK);
                g.drawLine(px, TOP + ph, px, TOP + ph + 5);
                String s = String.format(Locale.ROOT, "%.0f", x);
                g.drawString(s, px - g.getFontMetrics().stringWidth(s) / 2, TOP + ph + 20);
            }
            int ticks = log ? (int) (hi - lo) : 5;
            for (int i = 0; i <= ticks; i++) {
                double v = lo + (hi - lo) * i / ticks;
                int py = ax.pyRaw(v);
                g.setColor(new Color(0xeeeeee));
                g.drawLine(LEFT, py, LEFT + pw, py);
                g.setColor(Color.BLACK);
                g.drawLine(LEFT - 5, py, LEFT, py);
                String s = log ? "1e" + (int) Math.round(v) : String.format(Locale.ROOT, "%.3g", v);
                g.drawString(s, LEFT - 8 - g.getFontMetrics().stringWidth(s), py + 4);
            }
            g.setColor(Color.BLACK);
            g.drawRect(LEFT, TOP, pw, ph);
            g.setFont(new Font(Font.SANS_SERIF, Font.BOLD, 14));
            g.drawString(title, LEFT, TOP - 14);
            g.setFont(new Font(Font.SANS_SERIF, Font.PLAIN, 12));
            g.drawString(xLabel, LEFT + pw / 2 - g.getFontMetrics().stringWidth(xLabel) / 2, H - 18);
            var saved = g.getTransform();
            g.rotate(-Math.PI / 2);
            g.drawString(yLabel + (log ? " (log scale)" : ""), -(TOP + ph / 2) - 40, 20);
            g.setTransform(saved);
            // lines and legend
            int i = 0;
            for (var e : series.entrySet()) {
                Color c = COLOURS[i % COLOURS.length];
                boolean reference = e.getKey().startsWith("teacher@");
                g.setColor(c);
                g.setStroke(reference ? new BasicStroke(2f, BasicStroke.CAP_BUTT, BasicStroke.JOIN_MITER, 10f,
                        new float[] {6f, 4f}, 0f) : new BasicStroke(2.2f));
                int[] prev = null;
                for (double[] p : e.getValue()) {
                    if (!Double.isFinite(p[1]) || (log && p[1] <= 0)) {
                        prev = null;
                        continue;
                    }
                    int[] q = {ax.px(p[0]), ax.py(p[1])};
                    if (prev != null) {
                        g.drawLine(prev[0], prev[1], q[0], q[1]);
                    }
                    if (!reference) {
                        g.fillOval(q[0] - 4, q[1] - 4, 8, 8);
                    }
                    prev = q;
                }
                int ly = TOP + 10 + 22 * i;
                g.drawLine(LEFT + pw + 16, ly, LEFT + pw + 46, ly);
                g.setColor(Color.BLACK);
                g.drawString(e.getKey(), LEFT + pw + 52, ly + 4);
                i++;
            }
        } finally {
            g.dispose();
        }
        return img;
    }

    /** Tick spacing: 1 up to a range of 12, else the 1-2-5 step giving at most 10 ticks. */
    static double xStep(double range) {
        if (range <= 12) {
            return 1;
        }
        double unit = Math.pow(10, Math.floor(Math.log10(range / 10)));
        for (double m : new double[] {1, 2, 5, 10}) {
            if (range / (m * unit) <= 10) {
                return m * unit;
            }
        }
        return 10 * unit;
    }

    /** Plots one metric of a report (rows NFE, one line per sampler, the high-NFE teacher dashed). */
    public static void write(QualityReport report, String metric, Path file) throws IOException {
        BufferedImage img = render(report.dataset() + ": " + metric + " vs NFE (" + report.samples() + " samples)",
                "NFE", metric, report.series(metric));
        if (file.toAbsolutePath().getParent() != null) {
            Files.createDirectories(file.toAbsolutePath().getParent());
        }
        ImageIO.write(img, "png", file.toFile());
    }

    private record Axis(double xMin, double xMax, double lo, double hi, boolean log, int pw, int ph) {
        int px(double x) {
            return LEFT + (int) Math.round((x - xMin) / (xMax - xMin) * pw);
        }

        int py(double y) {
            return pyRaw(log ? Math.log10(y) : y);
        }

        int pyRaw(double v) {
            return TOP + ph - (int) Math.round((v - lo) / (hi - lo) * ph);
        }
    }
}
