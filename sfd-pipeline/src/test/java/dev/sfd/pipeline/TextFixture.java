package dev.sfd.pipeline;

import dev.sfd.core.diffusion.NoiseModel;
import dev.sfd.core.distill.DistillRecipe;
import dev.sfd.core.distill.ScheduleSpec;
import dev.sfd.core.distill.SfdConfig;
import dev.sfd.core.onnx.SessionConfig;
import dev.sfd.core.teachers.imports.text2image.PipelineFixtures;
import dev.sfd.pipeline.teacher.BlockEncoder;
import dev.sfd.pipeline.teacher.BlockRecord;
import dev.sfd.pipeline.teacher.JobBatch;
import dev.sfd.pipeline.teacher.PromptValidator;
import dev.sfd.pipeline.teacher.SampleJob;
import dev.sfd.pipeline.teacher.TeacherBatchRunner;
import dev.sfd.pipeline.teacher.TeacherStageSettings;
import dev.sfd.pipeline.teacher.ValidatedPrompt;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.IntStream;

/**
 * The committed text-to-image fixture (fixtures/text2image/shapes-sd) as both services load it, and the
 * real teacher stage pieces on it (validator, batch runner, block encoder; N = 3), for the stage tests.
 * Opened once per JVM.
 */
public final class TextFixture {

    public static final PipelineTeacher TEACHER = PipelineTeacher.open(
            PipelineFixtures.fixture("shapes-sd").toString(), SessionConfig.cpu(1));
    public static final NoiseModel UNET = TEACHER.openUnet(SessionConfig.cpu(1));
    public static final List<Integer> STEPS = List.of(3);
    /** The services' stage settings for a pipeline: defaults with the text-to-image recipe's solver and K. */
    public static final TeacherStageSettings STAGE = stage(
            ScheduleSpec.polynomial(TEACHER.info().tMin(), TEACHER.info().tMax()));
    public static final PromptValidator VALIDATOR = new PromptValidator(TEACHER.info(), STEPS, TEACHER.prompts());
    public static final TeacherBatchRunner RUNNER = new TeacherBatchRunner(UNET, TEACHER.info(), STAGE,
            TEACHER.prompts());

    private TextFixture() {
    }

    private static TeacherStageSettings stage(ScheduleSpec schedule) {
        TeacherStageSettings d = TeacherStageSettings.defaults(schedule);
        return new TeacherStageSettings(DistillRecipe.TEXT_TO_IMAGE.solver(), DistillRecipe.TEXT_TO_IMAGE.k(), schedule,
                STEPS, d.afs(), d.batchSize(), d.batchWait(), d.maxActivePrompts(), d.maxInFlightBlocks(), d.dtype(),
                d.blockSize(), d.blockMaxBytes(), DistillRecipe.TEXT_TO_IMAGE.carryHistory());
    }

    /** A prompt record {@code {"id", "prompt", "count", "seed"}} checked by the text validator. */
    public static ValidatedPrompt prompt(String id, String text, int count, long seed) {
        String json = "{\"id\":\"" + id + "\",\"prompt\":\"" + text + "\",\"count\":" + count + ",\"seed\":" + seed + "}";
        return VALIDATOR.validate(json.getBytes(StandardCharsets.UTF_8));
    }

    /** One teacher batch holding every sample of {@code prompts}, in order. */
    public static JobBatch batch(ValidatedPrompt... prompts) {
        List<SampleJob> jobs = new ArrayList<>();
        for (ValidatedPrompt p : prompts) {
            jobs.add(new SampleJob(p, 3, IntStream.range(0, p.count()).toArray()));
        }
        return new JobBatch(3, jobs);
    }

    /** The blocks the teacher stage writes for {@code prompts} run as one batch, at most {@code rows} per block. */
    public static List<BlockRecord> blocks(int rows, ValidatedPrompt... prompts) {
        TeacherStageSettings s = STAGE.withBlocks(rows, 1 << 20);
        JobBatch batch = batch(prompts);
        return new BlockEncoder(TEACHER.info(), s).encode(batch, RUNNER.run(batch));
    }

    /** A trainer config matching the stage: Γ(3) over the teacher's range, batch {@code batch}. */
    public static SfdConfig trainerConfig(int batch, long budget) {
        return SfdConfig.builder(STAGE.schedule()).solver(STAGE.solver()).k(STAGE.k()).stepCounts(STEPS)
                .batch(batch).learningRate(1e-3).budget(budget).seed(0).threads(1).progress(false).build();
    }
}
