package dev.sfd.pipeline.sampler;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.sfd.core.onnx.SessionConfig;
import dev.sfd.core.store.CheckpointStore;
import dev.sfd.core.teachers.imports.text2image.PipelineFixtures;
import dev.sfd.core.tensor.FloatTensor;
import dev.sfd.pipeline.TextFixture;
import dev.sfd.stack.LocalStack;
import dev.sfd.stack.LocalStackExtension;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * The sampler stage serving a text-to-image starter student of the shapes-sd fixture (real store on the
 * local stack, real ONNX Runtime): prompts checked and encoded before queueing, requests with different
 * prompts in one model call, decoded images or latents, guidance with the empty prompt as ∅, and a text
 * student refused by a sampler without the pipeline.
 */
@ExtendWith(LocalStackExtension.class)
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class TextSamplerStageTest {

    private static final List<Integer> STEPS = List.of(3);

    private final LocalStack stack;
    private CheckpointStore store;
    private TextPipeline text;
    private LiveModel live;
    private RequestValidator validator;
    private byte[] student;
    private final List<int[]> batches = Collections.synchronizedList(new ArrayList<>());

    TextSamplerStageTest(LocalStack stack) {
        this.stack = stack;
    }

    @BeforeAll
    void open() {
        store = Checkpoints.store(stack);
        text = TextPipeline.open(PipelineFixtures.fixture("shapes-sd").toString(), SessionConfig.cpu(1), 8, 4);
        student = StarterStudent.build(TextFixture.TEACHER.info(), TextFixture.TEACHER.contract(), STEPS, 1);
        String name = Checkpoints.uniqueStudent("text");
        Checkpoints.publish(store, name, 1, student);
        live = new LiveModel(store, name, SessionConfig.cpu(1), 4, LiveModelListener.NONE, Clock.systemUTC(), text);
        ReloadOutcome o = live.refresh();
        assertEquals(ReloadOutcome.Result.LOADED, o.result(), o.reason());
        validator = new RequestValidator(SamplerLimits.DEFAULTS, () -> 5L, text);
    }

    @AfterAll
    void close() throws Exception {
        live.close();
        text.close();
        store.close();
    }

    private SampleRequest check(String prompt, Integer label, double omega, long seed, int count,
            GenerateInput.OutputKind out) {
        LoadedModel m = live.current().orElseThrow();
        return validator.validate(new GenerateInput(prompt, label, null, null, omega, null, seed, count, out),
                m.metadata(), m.takesText());
    }

    private DynamicBatcher batcher(Duration delay) {
        // every call waits out the delay (no fast path): requests submitted together share one call
        return new DynamicBatcher(live, new BatcherSettings(8, delay, 64, 1, new int[0], false, true),
                (requests, samples, nanos) -> batches.add(new int[] {requests, samples}));
    }

    private static SampleBatch run(DynamicBatcher b, SampleRequest r) throws Exception {
        return b.submit(r, Long.MAX_VALUE).result().get(60, TimeUnit.SECONDS);
    }

    @Test
    void aPromptGivesDecodedImagesAndTheSameSeedTheSameImages() throws Exception {
        assertTrue(live.current().orElseThrow().takesText());
        try (DynamicBatcher b = batcher(Duration.ZERO)) {
            SampleRequest r = check("a small red circle on black", null, 1.0, 42, 2, GenerateInput.OutputKind.DEFAULT);
            assertTrue(r.png(), "a text student's default output is the decoded image as PNG");
            assertFalse(r.promptTruncated());
            SampleBatch one = run(b, r);
            long[] image = text.imageShape();
            assertEquals(3, image[0], "RGB images from the VAE decoder: " + Arrays.toString(image));
            assertArrayEquals(new long[] {2, image[0], image[1], image[2]}, one.samples().shape());
            SampleBatch again = run(b, check("a small red circle on black", null, 1.0, 42, 2,
                    GenerateInput.OutputKind.DEFAULT));
            assertArrayEquals(one.samples().data(), again.samples().data(), "same seed and prompt, same images");
            SampleBatch blue = run(b, check("a small blue square", null, 1.0, 42, 2, GenerateInput.OutputKind.DEFAULT));
            assertFalse(Arrays.equals(one.samples().data(), blue.samples().data()), "the prompt conditions the sample");
        }
    }

    @Test
    void requestsWithDifferentPromptsShareOneCallAndGiveWhatEachGetsAlone() throws Exception {
        SampleRequest red = check("a small red circle", null, 1.0, 10, 2, GenerateInput.OutputKind.DEFAULT);
        SampleRequest blue = check("the ring is blue", null, 1.0, 20, 1, GenerateInput.OutputKind.TENSOR);
        SampleRequest latent = check("a green triangle", null, 1.0, 30, 1, GenerateInput.OutputKind.LATENT);
        List<SampleBatch> alone = new ArrayList<>();
        try (DynamicBatcher b = batcher(Duration.ZERO)) {
            for (SampleRequest r : List.of(red, blue, latent)) {
                alone.add(run(b, r));
            }
        }
        batches.clear();
        List<SampleBatch> together = new ArrayList<>();
        try (DynamicBatcher b = batcher(Duration.ofMillis(500))) {
            for (Submission s : b.submitAll(List.of(red, blue, latent), Long.MAX_VALUE)) {
                together.add(s.result().get(60, TimeUnit.SECONDS));
            }
        }
        assertEquals(1, batches.size(), "one model call for the three prompts: " + batches.size() + " calls");
        assertArrayEquals(new int[] {3, 4}, batches.get(0));
        for (int i = 0; i < 3; i++) {
            assertEquals(4, together.get(i).batchSize());
            assertArrayEquals(alone.get(i).samples().shape(), together.get(i).samples().shape());
            float[] a = alone.get(i).samples().data();
            float[] t = together.get(i).samples().data();
            for (int k = 0; k < a.length; k++) {
                assertEquals(a[k], t[k], 1e-4f, "request " + i + " value " + k + ": batched equals alone");
            }
        }
        long[] latentShape = together.get(2).samples().shape();
        long[] want = new long[] {1, text.latentShape()[0], text.latentShape()[1], text.latentShape()[2]};
        assertArrayEquals(want, latentShape, "LATENT: the student's latents, not decoded");
    }

    @Test
    void guidanceUsesTheEmptyPromptAndChangesTheSample() throws Exception {
        try (DynamicBatcher b = batcher(Duration.ZERO)) {
            SampleBatch w1 = run(b, check("a yellow square", null, 1.0, 3, 1, GenerateInput.OutputKind.LATENT));
            SampleBatch w2 = run(b, check("a yellow square", null, 2.0, 3, 1, GenerateInput.OutputKind.LATENT));
            assertEquals(2.0, w2.request().omega());
            assertFalse(Arrays.equals(w1.samples().data(), w2.samples().data()), "ω = 2 differs from ω = 1");
            SampleBatch empty = run(b, check(null, null, 2.0, 3, 1, GenerateInput.OutputKind.LATENT));
            SampleBatch empty1 = run(b, check(null, null, 1.0, 3, 1, GenerateInput.OutputKind.LATENT));
            float[] e = empty.samples().data();
            for (int k = 0; k < e.length; k++) {
                assertEquals(empty1.samples().data()[k], e[k], 1e-4f,
                        "no prompt = the empty prompt = ∅: guidance cannot move it (value " + k + ")");
            }
        }
    }

    @Test
    void badPromptsAndLabelsAreRefusedNamingTheFieldAndTheWord() {
        SamplerException unknown = assertThrows(SamplerException.class,
                () -> check("a small red circle on the left", null, 1.0, 1, 1, GenerateInput.OutputKind.DEFAULT));
        assertEquals(SamplerException.Kind.INVALID_ARGUMENT, unknown.kind());
        assertEquals("prompt", unknown.field());
        assertTrue(unknown.getMessage().startsWith("prompt: ") && unknown.getMessage().contains("left")
                && !unknown.getMessage().contains("circle,"), unknown.getMessage());
        SamplerException label = assertThrows(SamplerException.class,
                () -> check(null, 2, 1.0, 1, 1, GenerateInput.OutputKind.DEFAULT));
        assertEquals("label", label.field());
        assertTrue(label.getMessage().contains("send prompt"), label.getMessage());
        SamplerException empty = assertThrows(SamplerException.class,
                () -> check("  ", null, 1.0, 1, 1, GenerateInput.OutputKind.DEFAULT));
        assertEquals("prompt", empty.field());
        assertTrue(empty.getMessage().contains("unset"), empty.getMessage());
        SamplerException longText = assertThrows(SamplerException.class,
                () -> check("a".repeat(201), null, 1.0, 1, 1, GenerateInput.OutputKind.DEFAULT));
        assertTrue(longText.getMessage().contains("200"), longText.getMessage());
    }

    @Test
    void aPromptOverTheTokenLimitIsCutServedAndFlagged() throws Exception {
        String prompt = "a small red circle on black is one picture of the ring the square";
        SampleRequest r = check(prompt, null, 1.0, 4, 1, GenerateInput.OutputKind.DEFAULT);
        assertTrue(r.promptTruncated());
        try (DynamicBatcher b = batcher(Duration.ZERO)) {
            SampleBatch s = run(b, r);
            assertTrue(s.warning().contains("prompt") && s.warning().contains(Integer.toString(text.maxTokens())),
                    s.warning());
        }
    }

    @Test
    void aTextStudentIsRefusedBySamplerWithoutThePipeline() {
        String name = Checkpoints.uniqueStudent("text-none");
        Checkpoints.publish(store, name, 1, student);
        List<Refusal> refusals = Collections.synchronizedList(new ArrayList<>());
        try (LiveModel plain = new LiveModel(store, name, SessionConfig.cpu(1), 1, new LiveModelListener() {
            @Override
            public void refused(Refusal r) {
                refusals.add(r);
            }
        }, Clock.systemUTC())) {
            ReloadOutcome o = plain.refresh();
            assertEquals(ReloadOutcome.Result.REFUSED, o.result(), o.reason());
            assertTrue(o.reason().contains("sfd.sampler.pipeline") && o.reason().contains(text.sha256()), o.reason());
            assertEquals(1, refusals.size());
            assertFalse(plain.ready());
        }
    }

    @Test
    void aStudentWhoseEmbeddingOrLatentShapeDiffersFromThePipelineIsRefused() {
        dev.sfd.core.distill.StudentMetadata meta = live.current().orElseThrow().metadata();
        long[] good = {-1, text.embeddingShape()[0], text.embeddingShape()[1]};
        org.junit.jupiter.api.Assertions.assertDoesNotThrow(() -> TextStudentCheck.require("s v1", meta, good, text));
        long[] wide = {-1, text.embeddingShape()[0], text.embeddingShape()[1] + 1};
        CheckpointRefusedException e = assertThrows(CheckpointRefusedException.class,
                () -> TextStudentCheck.require("s v2", meta, wide, text));
        assertTrue(e.getMessage().contains("s v2") && e.getMessage().contains(Arrays.toString(wide))
                && e.getMessage().contains("[B, " + good[1] + ", " + good[2] + "]"), e.getMessage());
        long[] latent = meta.sampleShape();
        latent[1] += 1;
        dev.sfd.core.distill.StudentMetadata other = new dev.sfd.core.distill.StudentMetadata(meta.teacherId(),
                meta.teacherSha256(), meta.dataset(), latent, meta.classes(), meta.schedule(), Map.of(3,
                meta.trainedTimestamps(3)), meta.stepEmbedding(), meta.afs(), meta.trainingGuidance(),
                meta.teacherSolver(), meta.teacherK(), meta.optimizer(), meta.trajectories(), meta.seed(),
                meta.codeVersion(), meta.createdAt());
        CheckpointRefusedException l = assertThrows(CheckpointRefusedException.class,
                () -> TextStudentCheck.require("s v3", other, good, text));
        assertTrue(l.getMessage().contains(Arrays.toString(latent)) && l.getMessage().contains("VAE decoder"),
                l.getMessage());
    }

    @Test
    void latentOutputIsRefusedForALabelStudent() {
        RequestValidator v = new RequestValidator(SamplerLimits.DEFAULTS, () -> 1L);
        String name = Checkpoints.uniqueStudent("label");
        Checkpoints.publish(store, name, 1, Checkpoints.shapesStudent());
        try (LiveModel shapes = new LiveModel(store, name, SessionConfig.cpu(1), 1, LiveModelListener.NONE,
                Clock.systemUTC())) {
            assertEquals(ReloadOutcome.Result.LOADED, shapes.refresh().result());
            SamplerException e = assertThrows(SamplerException.class, () -> v.validate(new GenerateInput(null, 1, null,
                    null, null, null, 1L, 1, GenerateInput.OutputKind.LATENT), shapes.current().orElseThrow().metadata()));
            assertEquals("output", e.field());
            assertTrue(e.getMessage().contains("text-to-image"), e.getMessage());
        }
    }
}
