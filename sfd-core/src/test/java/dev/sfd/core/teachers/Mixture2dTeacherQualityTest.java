package dev.sfd.core.teachers;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.sfd.core.diffusion.onnx.OnnxNoiseModel;
import dev.sfd.core.diffusion.solver.Solvers;
import dev.sfd.core.metrics.EvaluationSet;
import dev.sfd.core.metrics.Mixture2dEvaluation;
import dev.sfd.core.metrics.SolverSampler;
import dev.sfd.core.onnx.SessionConfig;
import org.junit.jupiter.api.Test;

/** The committed mixture2d teacher, sampled with Heun at 36 NFE on 2000 fixed seeds, matches p₀. */
class Mixture2dTeacherQualityTest {

    @Test
    void heunAt36NfeMeetsTheFdBound() {
        try (OnnxNoiseModel teacher = BuiltinTeachers.open("mixture2d", SessionConfig.cpu(2))) {
            SolverSampler heun = SolverSampler.edm(teacher, Solvers.byName("heun"), 18, 0.002, 80, 2);
            assertTrue(heun.nfe() >= 35, "NFE " + heun.nfe());
            EvaluationSet set = EvaluationSet.mixture2d(2000);
            Mixture2dEvaluation e = Mixture2dEvaluation.of(set.run(heun, 500));
            // measured: FD 0.0008, SW 0.073, 8/8, log-lik −2.21 (exact samples: log-lik ≈ −2.14)
            assertTrue(e.frechetDistance() < 0.05, e.toString());
            assertEquals(8, e.modesCovered(), e.toString());
            assertTrue(e.onModeFraction() > 0.95, e.toString());
            assertTrue(e.meanLogLikelihood() > -2.5, e.toString());
        }
    }
}
