package dev.sfd.core.teachers;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.sfd.core.diffusion.Condition;
import dev.sfd.core.prompt.PromptCondition;
import org.junit.jupiter.api.Test;

/** Recipes round-trip through JSON; shapes labels follow the shared contract. */
class TeacherRecipeTest {

    @Test
    void recipeRoundTripsThroughJson() {
        for (String d : TeacherDatasets.NAMES) {
            TeacherRecipe r = TeacherRecipe.defaults(d).withSeed(42);
            assertEquals(r, TeacherRecipe.fromJson(r.toJson()));
        }
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> TeacherRecipe.defaults("cifar"));
        assertTrue(e.getMessage().contains("mixture2d"), e.getMessage());
    }

    @Test
    void shapesLabelsCoverEveryPartialPromptOnce() {
        java.util.Set<Integer> seen = new java.util.HashSet<>();
        for (int c = 0; c < 5; c++) {
            for (int s = 0; s < 5; s++) {
                int label = ShapesLabels.of(c, s);
                assertEquals(PromptCondition.fromIds(c, s), ShapesLabels.condition(label));
                assertTrue(seen.add(label));
            }
        }
        assertEquals(Condition.NULL_LABEL, ShapesLabels.of(0, 0));
        assertEquals(0, ShapesLabels.of(0, 1));
        assertEquals(23, ShapesLabels.of(4, 4));
        assertEquals(ShapesLabels.of(1, 0), ShapesLabels.ofPrompt("something RED please"));
    }

    @Test
    void recipesWrittenBeforeTheActivationFieldReadAsWhatTheyUsed() {
        String dit = TeacherRecipe.defaults("shapes").toJson().replace(",\"activation\":\"silu\"", "");
        String mlp = TeacherRecipe.defaults("mixture2d").toJson().replace(",\"activation\":\"silu\"", "");
        assertTrue(!dit.contains("activation") && !mlp.contains("activation"), dit);
        assertEquals("gelu-tanh", TeacherRecipe.fromJson(dit).architecture().activation());
        assertEquals("silu", TeacherRecipe.fromJson(mlp).architecture().activation());
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> new TeacherRecipe.Architecture("dit-adaln", 96, 4, 4, 4, 64, "relu6"));
        assertTrue(e.getMessage().contains("relu6") && e.getMessage().contains("silu"), e.getMessage());
    }
}
