package dev.sfd.core.distill.quality;

import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;

/** A report's tables name their seed set and print FD with its bootstrap interval. */
class QualityReportTest {

    private static QualityReport report(EvaluationSeeds seeds) {
        Map<String, QualityReport.Cell> row = new LinkedHashMap<>();
        row.put("euler", new QualityReport.Cell("euler, 2 steps", 2, new double[] {137.7, 0.88}, 1,
                new Interval(137.7, 130.1, 146.0, 200, 25)));
        row.put(QualityReport.STUDENT, new QualityReport.Cell("student, 3 steps", 2, new double[] {17.2, 0.886}, 1,
                new Interval(17.2, 15.9, 18.8, 200, 25)));
        Map<Integer, Map<String, QualityReport.Cell>> rows = new TreeMap<>(Map.of(2, row));
        QualityReport.Cell reference = new QualityReport.Cell("dpm++3m, 32 steps", 32, new double[] {15.2, 0.895}, 1);
        return new QualityReport("shapes", List.of("FD", "prompt-acc"), seeds.samples(), seeds,
                List.of("euler", QualityReport.STUDENT), rows, reference, List.of());
    }

    @Test
    void everyTableNamesItsSeedSet() {
        String held = report(EvaluationSeeds.heldOut(1000)).format();
        assertTrue(held.contains("shapes  FD (1000 samples; held-out set, 1000 seeds 500000000…500000999)"), held);
        assertTrue(held.contains("shapes  prompt-acc (1000 samples; held-out set"), held);
        String dev = report(EvaluationSeeds.development(1000)).format();
        assertTrue(dev.contains("development set, 1000 seeds 1000000…1000999"), dev);
    }

    @Test
    void fdCarriesItsIntervalAndOtherMetricsDoNot() {
        String fd = report(EvaluationSeeds.heldOut(1000)).table("FD");
        assertTrue(fd.contains("17.2000 [15.9000, 18.8000]"), fd);
        assertTrue(fd.contains("137.7000 [130.1000, 146.0000]"), fd);
        assertTrue(fd.contains("15.2000"), "the reference without an interval: " + fd);
        String acc = report(EvaluationSeeds.heldOut(1000)).table("prompt-acc");
        assertTrue(acc.contains("0.8860") && !acc.contains("["), acc);
    }
}
