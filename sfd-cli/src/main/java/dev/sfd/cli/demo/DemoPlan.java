package dev.sfd.cli.demo;

import dev.sfd.core.diffusion.mixture.Mixture2d;
import dev.sfd.core.teachers.imports.text2image.Captions;
import dev.sfd.core.teachers.imports.text2image.PipelineReference;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * What {@code sfd demo} does for one built-in teacher: the prompts it publishes, the bad records
 * it adds on purpose, the distillation settings the services get, and how it evaluates.
 *
 * @param teacher      built-in teacher name, or the absolute path of a text-to-image pipeline folder
 * @param prompts      prompt texts (one record each)
 * @param count        trajectories per prompt
 * @param nfe          student NFE trained (N = NFE + 1 with AFS) and evaluated
 * @param settings     configuration properties for all three services
 * @param evalSamples  samples per sampler in the quality table
 * @param loadPrompt   prompt the background gRPC caller uses
 * @param gridPrompts  prompts of the PNG grid (image teachers; empty for 2-D)
 */
public record DemoPlan(String teacher, List<String> prompts, int count, List<Integer> nfe,
                       Map<String, String> settings, int evalSamples, String loadPrompt, List<String> gridPrompts) {

    /** Records that must be dead-lettered, each for a different reason. */
    public static List<String> badRecords() {
        return List.of(
                "{\"id\":\"demo-bad-count\",\"prompt\":\"north\",\"count\":0}",
                "{\"id\":\"demo-bad-json\",\"prompt\":",
                "{\"id\":\"demo-bad-word\",\"prompt\":\"a purple hexagon\",\"count\":4}");
    }

    public static DemoPlan forTeacher(String teacher, Integer countOverride) {
        if (PipelineReference.applies(teacher)) {
            return textToImage(PipelineReference.resolve(teacher), countOverride == null ? 256 : countOverride);
        }
        return switch (teacher) {
            case "mixture2d" -> mixture2d(countOverride == null ? 4096 : countOverride);
            case "shapes" -> shapes(countOverride == null ? 1024 : countOverride);
            default -> throw new IllegalArgumentException("the demo knows the built-in teachers mixture2d and shapes "
                    + "and text-to-image pipeline folders (or their .teacher.json), not '" + teacher + "'; for your own "
                    + "ONNX teacher use 'sfd services up --teacher <file.onnx>'");
        };
    }

    private static DemoPlan mixture2d(int count) {
        List<String> prompts = new ArrayList<>();
        Mixture2d.ring().modes().forEach(m -> prompts.add(m.name()));
        List<Integer> nfe = List.of(2, 3, 4, 5);
        // three passes over the trajectory topic: SFD's trajectories are reusable data, so the student gets
        // 3x the Adam steps for the same teacher work (one student for NFE 2..5 needs them)
        return new DemoPlan("mixture2d", prompts, count, nfe, settings("mixture2d", nfe,
                (long) count * prompts.size(), 3, 4096), 2000, "north", List.of());
    }

    private static DemoPlan shapes(int count) {
        List<String> prompts = List.of("a red circle", "a green square", "a blue triangle", "a yellow circle",
                "a red square", "a green triangle", "a blue circle", "a yellow square");
        List<Integer> nfe = List.of(2, 3, 4, 5);
        return new DemoPlan("shapes", prompts, count, nfe, settings("shapes", nfe,
                (long) count * prompts.size(), 2, 1024), 512, "a red circle", prompts.subList(0, 4));
    }

    /**
     * A text-to-image pipeline (e.g. fixtures/text2image/shapes-sd): free-text prompts, every third caption of
     * the folder's captions.json (32 of the fixture's 96: each colour and shape in two phrasings), published as
     * plain text lines the way {@code sfd publish --file} does; two passes; the sampler gets the pipeline
     * ({@code sfd.sampler.pipeline}) to encode the free-text prompts of its gRPC callers and decode latents.
     */
    private static DemoPlan textToImage(PipelineReference pipeline, int count) {
        List<String> captions = Captions.read(pipeline.folder()).texts();
        List<String> prompts = new ArrayList<>();
        for (int i = 0; i < captions.size(); i += 3) {
            prompts.add(captions.get(i));
        }
        List<Integer> nfe = List.of(2, 3, 4);
        String folder = pipeline.folder().toAbsolutePath().normalize().toString();
        Map<String, String> s = settings(pipeline.id(), nfe, (long) count * prompts.size(), 2, 2048);
        s.put("sfd.teacher.model", folder);
        s.put("sfd.sampler.pipeline", folder);
        return new DemoPlan(folder, prompts, count, nfe, s, 512, prompts.get(0), prompts.subList(0, 4));
    }

    /** Whether the teacher is a text-to-image pipeline (free-text prompts, decoded images). */
    public boolean textToImage() {
        return PipelineReference.applies(teacher);
    }

    /**
     * The recipe itself (solver, K, carry-history, batch, learning rate and its schedule, loss) is not
     * set: the services default to the recipe {@code sfd distill --teacher <teacher>} uses (DistillRecipe).
     * The demo sets only its data volume: the trajectories it publishes, replayed {@code passes} times.
     */
    private static Map<String, String> settings(String teacher, List<Integer> nfe, long trajectories, int passes,
                                                int window) {
        Map<String, String> s = new LinkedHashMap<>();
        s.put("sfd.teacher.model", teacher);
        s.put("sfd.distill.step-counts", String.join(",", nfe.stream().map(n -> Integer.toString(n + 1)).toList()));
        s.put("sfd.distill.afs", "true");
        s.put("sfd.trainer.student-name", teacher + "-demo");
        s.put("sfd.sampler.student", teacher + "-demo");
        s.put("sfd.trainer.replay-passes", Integer.toString(passes));
        // the teacher fills its batches oldest prompt first, so the topic carries long runs of one prompt: a
        // wide shuffle window per N is what gives the trainer batches that mix prompts (with the service's
        // default of 512 the mixture2d student's NFE-2 FD was 0.0136 instead of 0.002x)
        s.put("sfd.trainer.shuffle-window", Integer.toString(window));
        s.put("sfd.trainer.budget", Long.toString(trajectories * passes));
        return s;
    }
}
