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

/** The committed shapes teacher draws what the prompt asks for (8 prompts incl. partial ones × 16 seeds). */
class ShapesTeacherQualityTest {

    @Test
    void heunPromptAccuracyIsAtLeast90Percent() {
        try (OnnxNoiseModel teacher = BuiltinTeachers.open("shapes", SessionConfig.cpu(2));
             ShapesClassifier classifier = ShapesClassifier.openBuiltin(SessionConfig.cpu(2))) {
            SolverSampler heun = SolverSampler.edm(teacher, Solvers.byName("heun"), 18, 0.002, 80, 3, 16, 16);
            EvaluationSet set = EvaluationSet.shapes(8, 16);
            ShapesEvaluation e = ShapesEvaluation.of(classifier, set, heun, 64);
            assertTrue(e.promptAccuracy() >= 0.9, e.toString());
        }
    }
}
