package dev.sfd.pipeline.teacher;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.sfd.core.prompt.PromptRequest;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import org.junit.jupiter.api.Test;

class BatchPlannerTest {

    private static ValidatedPrompt prompt(String id, int count, long seed, List<Integer> steps) {
        return new ValidatedPrompt(new PromptRequest(id, "red", count, seed), 0, steps, seed);
    }

    @Test
    void everySampleIsPlannedOnceWithItsOwnStepCountAndSeed() {
        List<PromptPlan> plans = new ArrayList<>(List.of(
                new PromptPlan(prompt("a", 1000, 10, List.of(3, 4, 6))),
                new PromptPlan(prompt("b", 7, 5000, List.of(4))),
                new PromptPlan(prompt("c", 1, 9000, List.of(3, 6)))));
        BatchPlanner planner = new BatchPlanner(64);
        Set<String> seen = new HashSet<>();
        int batches = 0;
        for (Optional<JobBatch> b = planner.next(plans); b.isPresent(); b = planner.next(plans)) {
            JobBatch batch = b.get();
            batches++;
            assertTrue(batch.size() >= 1 && batch.size() <= 64, "batch size " + batch.size());
            for (SampleJob job : batch.jobs()) {
                assertEquals(batch.stepCount(), job.stepCount(), "one N per batch");
                for (int j = 0; j < job.size(); j++) {
                    int i = job.index(j);
                    ValidatedPrompt p = job.prompt();
                    assertEquals(p.stepCounts().get(i % p.stepCounts().size()), job.stepCount());
                    assertEquals(p.firstSeed() + i, job.seed(j));
                    assertTrue(seen.add(job.trajectoryId(j)), "planned twice: " + job.trajectoryId(j));
                }
            }
        }
        assertEquals(1008, seen.size());
        assertTrue(plans.stream().allMatch(PromptPlan::done));
        assertTrue(batches >= 1008 / 64, "batches " + batches);
        assertEquals(new TrajectoryIds.Parts("a", 999, 1009), TrajectoryIds.parse(TrajectoryIds.of("a", 999, 1009)));
        assertEquals(new TrajectoryIds.Parts("x/y", 2, -7), TrajectoryIds.parse(TrajectoryIds.of("x/y", 2, -7)));
    }

    @Test
    void smallPromptsShareOneTeacherCallAndTheOldestGoesFirst() {
        List<PromptPlan> plans = new ArrayList<>();
        for (int i = 0; i < 10; i++) {
            plans.add(new PromptPlan(prompt("p" + i, 3, 100L * i, List.of(3))));
        }
        BatchPlanner planner = new BatchPlanner(16);
        assertEquals(16, planner.available(plans));
        JobBatch first = planner.next(plans).orElseThrow();
        assertEquals(16, first.size(), "filled across prompts");
        assertEquals("p0", first.jobs().get(0).prompt().id());
        assertEquals(6, first.jobs().size(), "5 whole prompts and 1 sample of the sixth");
        assertEquals(1, first.jobs().get(5).size());
        JobBatch second = planner.next(plans).orElseThrow();
        assertEquals(14, second.size());
        assertEquals("p5", second.jobs().get(0).prompt().id(), "the partly served prompt continues first");
        assertTrue(planner.next(plans).isEmpty());
    }

    @Test
    void planningIsTheSameWhateverTheBatchSize() {
        for (int batch : new int[] {1, 7, 64, 5000}) {
            PromptPlan plan = new PromptPlan(prompt("a", 300, 42, List.of(3, 5)));
            List<String> ids = new ArrayList<>();
            for (Optional<JobBatch> b = new BatchPlanner(batch).next(List.of(plan)); b.isPresent();
                    b = new BatchPlanner(batch).next(List.of(plan))) {
                b.get().jobs().forEach(j -> {
                    for (int k = 0; k < j.size(); k++) {
                        ids.add(j.trajectoryId(k) + "@N" + j.stepCount());
                    }
                });
            }
            ids.sort(null);
            List<String> expected = new ArrayList<>();
            for (int i = 0; i < 300; i++) {
                expected.add(TrajectoryIds.of("a", i, 42 + i) + "@N" + (i % 2 == 0 ? 3 : 5));
            }
            expected.sort(null);
            assertEquals(expected, ids, "batch size " + batch);
        }
    }
}
