package dev.sfd.core.teachers.imports.text2image;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.sfd.core.data.Colour;
import dev.sfd.core.diffusion.Condition;
import dev.sfd.core.diffusion.schedule.PolynomialSchedule;
import dev.sfd.core.diffusion.solver.Solvers;
import dev.sfd.core.diffusion.trajectory.SeededNoise;
import dev.sfd.core.image.AreaDownsample;
import dev.sfd.core.metrics.PromptAccuracy;
import dev.sfd.core.metrics.ShapesClassifier;
import dev.sfd.core.metrics.SolverSampler;
import dev.sfd.core.onnx.SessionConfig;
import dev.sfd.core.prompt.PromptCondition;
import dev.sfd.core.teachers.ShapesLabels;
import dev.sfd.core.tensor.FloatTensor;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The committed shapes-sd pipeline as a text-conditioned teacher: prompts through the folder's tokenizer
 * and text encoder, the UNet under classifier-free guidance, DPM-Solver++(2M), the VAE decoder, then the
 * project's shapes classifier on the decoded (2×2 area-downsampled) images. Measured once (seeds 4242…,
 * 32 captions): ω = 5 at 20 steps gives label accuracy 0.625 and colour accuracy 1.0; ω = 1 gives 0.25
 * and 0.81 (the fixture's UNet draws colours well and shapes loosely). Chance is 1/16 and 1/4.
 */
class TextToImageTeacherTest {

    static final long FIRST_SEED = 4242;
    static final int SAMPLES = 32;

    static TextToImageTeacher teacher;
    static ShapesClassifier classifier;
    static final List<String> PROMPTS = new ArrayList<>();
    static final List<PromptCondition> WANTED = new ArrayList<>();
    static final long[] SEEDS = new long[SAMPLES];

    @BeforeAll
    static void open() {
        Captions captions = Captions.read(PipelineFixtures.fixture("shapes-sd"));
        for (int i = 0; i < SAMPLES; i++) { // every 7th caption: all 16 labels, several templates
            Captions.Caption c = captions.all().get((i * 7) % captions.size());
            PROMPTS.add(c.text());
            WANTED.add(c.condition());
            SEEDS[i] = FIRST_SEED + i;
        }
        teacher = TextToImageTeacher.open(PipelineFixtures.fixture("shapes-sd"), SessionConfig.cpu(1));
        classifier = ShapesClassifier.openBuiltin(SessionConfig.cpu(1));
    }

    @AfterAll
    static void close() {
        teacher.close();
        classifier.close();
    }

    static ShapesClassifier.Predictions classify(double omega, int steps) {
        SolverSampler s = new SolverSampler(teacher.guided(omega), Solvers.byName("dpm++2m"),
                new PolynomialSchedule(teacher.tMin(), teacher.tMax()).timestampsDescending(steps),
                teacher.latentShape(), 1.0);
        FloatTensor images = teacher.decode(s.sample(SEEDS, teacher.condition(PROMPTS)));
        assertArrayEquals(new long[] {SAMPLES, 3, 32, 32}, images.shape());
        return classifier.classify(AreaDownsample.to(images, 16));
    }

    static double accuracy(ShapesClassifier.Predictions p, List<PromptCondition> wanted) {
        return PromptAccuracy.of(p, wanted.stream().mapToInt(ShapesLabels::of).toArray());
    }

    static double colourAccuracy(ShapesClassifier.Predictions p, List<PromptCondition> wanted) {
        return accuracy(p, wanted.stream().map(c -> new PromptCondition(c.colour(), null)).toList());
    }

    @Test
    void guidedSamplesShowTheirPromptsAndNotOtherPrompts() {
        ShapesClassifier.Predictions p = classify(5.0, 20);
        double acc = accuracy(p, WANTED);
        double colour = colourAccuracy(p, WANTED);
        System.out.printf("shapes-sd teacher, dpm++2m 20 steps, ω = 5: label accuracy %.3f, colour %.3f%n", acc, colour);
        assertTrue(acc >= 0.45, "label accuracy " + acc + " (measured 0.625, chance 0.0625)");
        assertTrue(colour >= 0.9, "colour accuracy " + colour + " (measured 1.0, chance 0.25)");
        // the same images against the prompts with the next colour: a pipeline ignoring its prompt passes the
        // first checks only by luck, and fails this one
        List<PromptCondition> other = WANTED.stream().map(c -> new PromptCondition(
                Colour.values()[(c.colour().ordinal() + 1) % 4], c.shape())).toList();
        assertTrue(colourAccuracy(p, other) <= 0.15, "colour accuracy against the wrong prompts " + colourAccuracy(p, other));
    }

    @Test
    void theConditionalBranchAloneAlreadyFollowsTheColour() {
        ShapesClassifier.Predictions p = classify(1.0, 20);
        double colour = colourAccuracy(p, WANTED);
        System.out.printf("shapes-sd teacher, dpm++2m 20 steps, ω = 1: label accuracy %.3f, colour %.3f%n",
                accuracy(p, WANTED), colour);
        assertTrue(colour >= 0.6, "colour accuracy at ω = 1: " + colour + " (measured 0.81, chance 0.25)");
    }

    @Test
    void guidanceIsTheEmptyPromptsBranchMixedWithTheConditionalOne() {
        FloatTensor x = SeededNoise.gaussian(new long[] {1, 2}, teacher.latentShape(), 3.0);
        double[] t = {3.0, 3.0};
        Condition c = teacher.condition(List.of("a red circle", "the square is blue"));
        float[] cond = teacher.model().epsilon(x, t, c).data();
        float[] empty = teacher.model().epsilon(x, t, teacher.condition(List.of("", ""))).data();
        float[] guided = teacher.guided(4.0).epsilon(x, t, c).data();
        assertArrayEquals(cond, teacher.guided(1.0).epsilon(x, t, c).data(), 0f, "ω = 1 is the conditional branch");
        assertArrayEquals(empty, teacher.guided(0.0).epsilon(x, t, c).data(), 0f, "ω = 0 is the empty prompt");
        double diff = 0;
        for (int i = 0; i < cond.length; i++) {
            assertEquals(empty[i] + 4.0 * (cond[i] - empty[i]), guided[i], 2e-4, "ε̃ = ε_∅ + ω(ε_c − ε_∅) at " + i);
            diff += Math.abs(cond[i] - empty[i]);
        }
        assertTrue(diff / cond.length > 1e-3, "the prompt changes ε: mean |ε_c − ε_∅| = " + diff / cond.length);
    }

    @Test
    void theContractTeacherComputesWhatTheVpAdapterComputesOnTheRawUnet() {
        FloatTensor x = SeededNoise.gaussian(new long[] {5, 6, 7}, teacher.latentShape(), 1.0);
        double[] t = {0.05, 1.3, 14.0};
        Condition c = teacher.condition(List.of("a red circle", "", "one yellow triangle on black"));
        try (var raw = dev.sfd.core.diffusion.onnx.VpOnnxNoiseModel.open(teacher.folder().unet().model(),
                SessionConfig.cpu(1), dev.sfd.core.diffusion.onnx.VpOnnxNoiseModel.Names.defaults(),
                teacher.folder().scheduler().alphaBar())) {
            assertArrayEquals(raw.epsilon(x, t, c).data(), teacher.model().epsilon(x, t, c).data(), 1e-4f);
        }
        assertEquals("12,32", teacher.contract().metadata().get(dev.sfd.core.teachers.TeacherMetadata.COND_EMBEDDING));
        assertEquals(List.of("x", "t", "cond"), teacher.contract().inputNames());
    }

    @Test
    void eachPromptIsEncodedOnceAsTheEncodersHiddenStates() {
        FloatTensor e = teacher.prompts().embedding("a small green ring");
        assertArrayEquals(new long[] {1, 12, 32}, e.shape());
        int before = teacher.prompts().encodedPrompts();
        FloatTensor again = teacher.prompts().embeddings(List.of("a small green ring", "a small green ring"));
        assertEquals(before, teacher.prompts().encodedPrompts(), "a known prompt is not encoded again");
        assertArrayEquals(new long[] {2, 12, 32}, again.shape());
        assertEquals(0.9346709251403809, teacher.decoder().scalingFactor(), 1e-12, "from vae_decoder/config.json");
    }
}
