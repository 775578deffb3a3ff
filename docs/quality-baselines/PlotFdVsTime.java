import dev.sfd.core.distill.quality.MetricPlot;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Plots student FD at NFE 2 against trainer time, one line per method, from the times.tsv that
 * run.sh writes (dataset, method, budget, trainer seconds, teacher calls, Adam steps, FD at NFE 2).
 * Usage (single-file program on the CLI's class path):
 *   java [-Dx=steps] -cp sfd-cli/target/sfd-cli.jar docs/quality-baselines/PlotFdVsTime.java times.tsv out.png "title"
 *        [teacher-FD teacher-NFE]
 */
public class PlotFdVsTime {
    public static void main(String[] a) throws Exception {
        boolean byAdamSteps = "steps".equals(System.getProperty("x")); // -Dx=steps: Adam steps instead of seconds
        Map<String, List<double[]>> series = new LinkedHashMap<>();
        for (String line : Files.readAllLines(Path.of(a[0]))) {
            String[] f = line.split("\t");
            if (f.length < 7 || f[6].isBlank()) {
                continue;
            }
            series.computeIfAbsent(f[1], k -> new ArrayList<>())
                    .add(new double[] {Double.parseDouble(f[byAdamSteps ? 5 : 3]), Double.parseDouble(f[6])});
        }
        series.values().forEach(l -> l.sort((x, y) -> Double.compare(x[0], y[0])));
        if (a.length > 3) {
            double ref = Double.parseDouble(a[3]);
            double max = series.values().stream().flatMap(List::stream).mapToDouble(p -> p[0]).max().orElse(1);
            series.put("teacher@" + (a.length > 4 ? a[4] : "high NFE"), List.of(new double[] {0, ref}, new double[] {max, ref}));
        }
        javax.imageio.ImageIO.write(MetricPlot.render(a[2], byAdamSteps ? "Adam steps (equal for the three methods at one budget)" : "trainer time (s, loaded machine)", "FD at NFE 2", series),
                "png", Path.of(a[1]).toFile());
        System.out.println("wrote " + a[1]);
    }
}
