package dev.sfd.core.distill.quality;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.sfd.core.diffusion.NoiseModel;
import dev.sfd.core.diffusion.mixture.Mixture2d;
import dev.sfd.core.distill.ScheduleSpec;
import dev.sfd.core.distill.TeacherInfo;
import dev.sfd.core.onnx.OnnxModel;
import dev.sfd.core.onnx.SessionConfig;
import dev.sfd.core.teachers.BuiltinTeachers;
import dev.sfd.core.tensor.FloatTensor;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * The stability measurement on the built-in mixture2d teacher (real ONNX Runtime, 16 steps): set j at
 * n is exactly the teacher evaluated on seeds base + j·n_max … with labels i mod C, sets differ, and the
 * table reports the spread.
 */
class TeacherStabilityTest {

    @Test
    void eachSetIsTheTeacherOnItsOwnDisjointSeeds() {
        OnnxModel model = BuiltinTeachers.load("mixture2d");
        TeacherInfo info = TeacherInfo.of("mixture2d", model, model.toBytes());
        TeacherSampler ts = TeacherSampler.atNfe("dpm++3m", 16,
                ScheduleSpec.polynomial(info.tMin(), info.tMax()).schedule());
        MixtureQuality quality = new MixtureQuality(Mixture2d.ring().mixture());
        List<String> progress = new ArrayList<>();
        try (NoiseModel teacher = BuiltinTeachers.open("mixture2d", SessionConfig.cpu(2))) {
            List<TeacherStability.Row> rows = TeacherStability.measure(teacher, ts, info.sampleShape(), info.classes(),
                    quality, EvaluationSeeds.development(1), List.of(200, 800), 2, new Bootstrap(50, 25), 500,
                    progress::add);
            assertEquals(2, progress.size(), "one line per set: " + progress);
            assertTrue(progress.get(1).contains("development set, 800 seeds 1000800…1001599"), progress.toString());
            TeacherStability.Row r800 = rows.get(1);
            EvaluationSeeds set1 = EvaluationSeeds.development(1).block(1, 800, 800);
            FloatTensor x = ts.sample(teacher, set1.seeds(), set1.labels(info.classes()), info.sampleShape(), 500);
            assertEquals(quality.measure(x, set1.labels(info.classes()))[0], r800.fd()[1], 1e-12,
                    "set 1 at 800 = the teacher on seeds 1000800… measured as the report measures it");
            assertNotEquals(r800.fd()[0], r800.fd()[1], "disjoint seeds, different FD");
            assertEquals(r800.fd()[0], r800.intervals()[0].point());
            assertTrue(r800.intervals()[0].width() > 0, r800.intervals()[0].toString());
            assertEquals(100 * Math.abs(r800.fd()[0] - r800.fd()[1]) / r800.spread().mean(), r800.rangePercent(), 1e-9);
            String table = TeacherStability.table(rows);
            assertTrue(table.startsWith("| samples | set 0 | set 1 | mean ± sd |"), table);
            assertTrue(table.contains("\n| 200 |") && table.contains("\n| 800 |"), table);
        }
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> TeacherStability.measure(null,
                ts, info.sampleShape(), info.classes(), quality, EvaluationSeeds.development(1), List.of(100), 1,
                Bootstrap.off(), 500, s -> { }));
        assertTrue(e.getMessage().contains("--sets 1"), e.getMessage());
    }
}
