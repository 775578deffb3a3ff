package dev.sfd.core.teachers;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.sfd.core.onnx.SessionConfig;
import org.junit.jupiter.api.Test;

/** A short mixture2d pretraining run lowers the denoising loss and yields a contract-valid teacher. */
class TeacherPretrainerTest {

    @Test
    void shortMixtureRunLowersTheLossByAThird() {
        TeacherRecipe recipe = TeacherRecipe.defaults("mixture2d").withSteps(300);
        TeacherPretrainer.Result r = TeacherPretrainer.train(recipe, SessionConfig.cpu(2), false);
        // measured: ≈0.88 over the first 50 steps → ≈0.52 over the last 50 (×0.59)
        assertTrue(r.finalLoss() < 0.7 * r.firstLoss(), "loss " + r.firstLoss() + " -> " + r.finalLoss());
        assertEquals(java.util.List.of(), TeacherContract.problems(r.model()));
        assertEquals(300, TeacherRecipe.fromJson(r.model().metadata().get(TeacherMetadata.RECIPE)).steps());
    }

    @Test
    void snapshotsArriveEveryNStepsAsContractValidTeachers() {
        TeacherRecipe recipe = TeacherRecipe.defaults("mixture2d").withSteps(250);
        java.util.List<TeacherPretrainer.Snapshot> snaps = new java.util.ArrayList<>();
        TeacherPretrainer.Result r = TeacherPretrainer.train(recipe, SessionConfig.cpu(2), false, 100, snaps::add);
        assertEquals(java.util.List.of(100L, 200L), snaps.stream().map(TeacherPretrainer.Snapshot::step).toList());
        for (TeacherPretrainer.Snapshot s : snaps) {
            assertEquals(java.util.List.of(), TeacherContract.problems(s.model()));
            assertEquals(Long.toString(s.step()), s.model().metadata().get("sfd.training.snapshot_step"));
        }
        assertTrue(!r.model().metadata().containsKey("sfd.training.snapshot_step"));
        assertTrue(!snaps.get(0).model().parameters().get("out.weight").equals(r.model().parameters().get("out.weight")),
                "a snapshot holds the weights of its step, not the final ones");
    }

    @Test
    void sameSeedSameFirstBatch() {
        TeacherData data = TeacherDatasets.of("shapes");
        TeacherRecipe recipe = TeacherRecipe.defaults("shapes").withBatch(4);
        var a = TeacherPretrainer.batch(data, recipe, new dev.sfd.core.random.SplitMix64(5), 768);
        var b = TeacherPretrainer.batch(data, recipe, new dev.sfd.core.random.SplitMix64(5), 768);
        assertEquals(a.get(TeacherMetadata.X), b.get(TeacherMetadata.X));
        assertEquals(java.util.Arrays.toString((long[]) a.get(TeacherMetadata.COND)),
                java.util.Arrays.toString((long[]) b.get(TeacherMetadata.COND)));
    }

    @Test
    void edmWeightIsUnitWeightOnTheDenoiserTarget() {
        // λ(t)·‖ε_θ−ε‖² = λ_EDM(t)·‖D−x₀‖² with ‖D−x₀‖² = t²‖ε_θ−ε‖², λ_EDM = (t²+σ²)/(tσ)²
        double t = 1.7;
        double s = 0.5;
        assertEquals((t * t + s * s) / (t * s * t * s) * t * t, EdmPreconditioning.epsilonLossWeight(t, s), 1e-12);
    }
}
