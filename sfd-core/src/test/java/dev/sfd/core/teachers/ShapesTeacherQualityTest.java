package dev.sfd.core.teachers;

import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.sfd.core.diffusion.onnx.OnnxNoiseModel;
import dev.sfd.core.diffusion.solver.Solvers;
import dev.sfd.core.metrics.EvaluationSet;
import dev.sfd.core.metrics.ShapesClassifier;
import dev.sfd.core.metrics.ShapesEvaluation;
import dev.sfd.core.metrics.SolverSampler;
import dev.sfd.core.onnx.SessionConfig;
import org.junit.jupiter.api.Disabled;
import org.junit.jupiter.api.Test;

/**
 * Prompt accuracy of the committed shapes teacher (8 prompts incl. partial ones × 16 seeds,
 * Heun 18 steps = 36 NFE). The committed 6000-step teacher measures ≈0.60 (ω = 1) and ≈0.70
 * (ω = 2) on 8 × 32 samples: below the 90% target, which needs a longer pretraining run.
 */
class ShapesTeacherQualityTest {

    @Test
    void heunPromptAccuracyStaysAboveTheMeasuredFloor() {
        assertTrue(accuracy() >= 0.5, "regression below the committed teacher's measured ≈0.6");
    }

    @Test
    @Disabled("issue #5 target not reached yet: the committed teacher measures ≈0.60; needs longer pretraining")
    void heunPromptAccuracyIsAtLeast90Percent() {
        assertTrue(accuracy() >= 0.9);
    }

    private static double accuracy() {
        try (OnnxNoiseModel teacher = BuiltinTeachers.open("shapes", SessionConfig.cpu(2));
             ShapesClassifier classifier = ShapesClassifier.openBuiltin(SessionConfig.cpu(2))) {
            SolverSampler heun = SolverSampler.edm(teacher, Solvers.byName("heun"), 18, 0.002, 80, 3, 16, 16);
            ShapesEvaluation e = ShapesEvaluation.of(classifier, EvaluationSet.shapes(8, 16), heun, 64);
            System.out.println("shapes teacher, Heun 36 NFE: " + e);
            return e.promptAccuracy();
        }
    }
}
