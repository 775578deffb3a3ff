package dev.sfd.core.teachers;

import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.sfd.core.diffusion.onnx.OnnxNoiseModel;
import dev.sfd.core.diffusion.solver.Solvers;
import dev.sfd.core.metrics.EvaluationSet;
import dev.sfd.core.metrics.ShapesClassifier;
import dev.sfd.core.metrics.ShapesEvaluation;
import dev.sfd.core.metrics.SolverSampler;
import dev.sfd.core.onnx.SessionConfig;
import org.junit.jupiter.api.Test;

/**
 * Prompt accuracy of the committed shapes teacher (8 prompts incl. partial ones × 16 seeds,
 * Heun 18 steps = 36 NFE). The committed 28 000-step teacher measures 0.898 at ω = 1 and 0.984
 * at ω = 2 on 8 × 32 samples (README, "Built-in teachers").
 */
class ShapesTeacherQualityTest {

    @Test
    void guidedHeunPromptAccuracyIsAtLeast90Percent() {
        assertTrue(accuracy(2) >= 0.9, "issue #5 target: prompt accuracy >= 90 % at high NFE (ω = 2)");
    }

    @Test
    void unguidedHeunPromptAccuracyStaysAboveTheMeasuredFloor() {
        assertTrue(accuracy(1) >= 0.8, "regression below the committed teacher's measured ≈0.90 without guidance");
    }

    private static double accuracy(double omega) {
        try (OnnxNoiseModel teacher = BuiltinTeachers.open("shapes", SessionConfig.cpu(2));
             ShapesClassifier classifier = ShapesClassifier.openBuiltin(SessionConfig.cpu(2))) {
            SolverSampler heun = SolverSampler.edm(teacher, Solvers.byName("heun"), 18, 0.002, 80, 3, 16, 16)
                    .withGuidance(omega);
            ShapesEvaluation e = ShapesEvaluation.of(classifier, EvaluationSet.shapes(8, 16), heun, 64);
            System.out.println("shapes teacher, Heun 36 NFE, ω = " + omega + ": " + e);
            return e.promptAccuracy();
        }
    }
}
