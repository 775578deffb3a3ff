package dev.sfd.cli.demo;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.sfd.core.teachers.imports.text2image.Captions;
import dev.sfd.core.teachers.imports.text2image.PipelineFixtures;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;

/** The demo's plan for a text-to-image pipeline: planned (no longer refused), with the sampler given the pipeline. */
class DemoPlanTest {

    @Test
    void aPipelineFolderIsPlannedWithTheSamplerServingItsStudents() {
        Path fixture = PipelineFixtures.fixture("shapes-sd");
        DemoPlan plan = DemoPlan.forTeacher(fixture.toString(), 8);
        String folder = fixture.toAbsolutePath().normalize().toString();
        assertTrue(plan.textToImage());
        assertEquals(folder, plan.settings().get("sfd.sampler.pipeline"), "the sampler encodes prompts and decodes");
        assertEquals(folder, plan.settings().get("sfd.teacher.model"));
        assertEquals("shapes-sd-demo", plan.settings().get("sfd.sampler.student"));
        assertEquals(plan.settings().get("sfd.trainer.student-name"), plan.settings().get("sfd.sampler.student"));
        assertTrue(Captions.read(fixture).texts().containsAll(plan.prompts()), "free-text prompts from captions.json");
        assertTrue(plan.prompts().contains(plan.loadPrompt()), "the gRPC caller sends one of them: " + plan.loadPrompt());
        assertEquals(4, plan.gridPrompts().size());
        assertEquals(8, plan.count());
    }

    @Test
    void builtInTeachersKeepTheirPlansAndUnknownOnesAreRefused() {
        DemoPlan shapes = DemoPlan.forTeacher("shapes", null);
        assertFalse(shapes.textToImage());
        assertFalse(shapes.settings().containsKey("sfd.sampler.pipeline"), "no pipeline for a label student");
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> DemoPlan.forTeacher("nope", null));
        assertTrue(e.getMessage().contains("'nope'") && e.getMessage().contains("sfd services up"), e.getMessage());
    }
}
