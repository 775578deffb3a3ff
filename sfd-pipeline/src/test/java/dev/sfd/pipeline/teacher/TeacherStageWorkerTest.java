package dev.sfd.pipeline.teacher;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.sfd.core.diffusion.NoiseModel;
import dev.sfd.core.diffusion.trajectory.TeacherTrajectory;
import dev.sfd.core.distill.ScheduleSpec;
import dev.sfd.core.distill.TeacherInfo;
import dev.sfd.core.prompt.PromptRequest;
import dev.sfd.core.trajectory.TrajectoryBlock;
import dev.sfd.core.trajectory.TrajectoryBlockCodec;
import dev.sfd.pipeline.TeacherSource;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.BooleanSupplier;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** The stage loop with the real mixture2d ONNX teacher and an in-memory sink. */
class TeacherStageWorkerTest {

    private static TeacherInfo info;
    private static NoiseModel teacher;
    private static TeacherStageSettings settings;

    @BeforeAll
    static void loadTeacher() {
        TeacherSource source = TeacherSource.resolve("mixture2d");
        info = source.info();
        teacher = source.open(1);
        settings = TeacherStageSettings.defaults(ScheduleSpec.polynomial(info.tMin(), info.tMax()))
                .withStepCounts(List.of(3, 4)).withBatch(16, Duration.ofMillis(100));
    }

    @AfterAll
    static void closeTeacher() throws Exception {
        teacher.close();
    }

    /** Records what the ticket heard. */
    static final class Ticket implements PromptTicket {
        final AtomicInteger doneCalls = new AtomicInteger();
        volatile int trajectories;
        volatile long blocks;
        final AtomicReference<Throwable> failure = new AtomicReference<>();

        @Override
        public void done(int trajectories, long blocks) {
            this.trajectories = trajectories;
            this.blocks = blocks;
            doneCalls.incrementAndGet();
        }

        @Override
        public void failed(Throwable cause) {
            failure.set(cause);
        }
    }

    private static ValidatedPrompt prompt(String id, String text, int count, long seed) {
        return prompt(id, text, count, seed, settings.stepCounts());
    }

    private static ValidatedPrompt prompt(String id, String text, int count, long seed, List<Integer> steps) {
        PromptValidator v = new PromptValidator(info, steps);
        return v.validate(new PromptRequest(id, text, count, seed));
    }

    /** One row of a decoded block. */
    record Row(TrajectoryBlock block, int row) {
        float[] point(int n) { // n = N … 0
            int d = block.sampleSize();
            int at = block.offset(block.steps() - n, row);
            return java.util.Arrays.copyOfRange(block.points(), at, at + d);
        }
    }

    static Map<String, Row> rows(Iterable<BlockRecord> sent) throws Exception {
        Map<String, Row> got = new HashMap<>();
        for (BlockRecord r : sent) {
            TrajectoryBlock b = TrajectoryBlockCodec.decode(r.value(), info.sha256());
            assertEquals(b.blockId(), r.key(), "key = block id");
            assertEquals(b.rows(), r.rows());
            for (int i = 0; i < b.rows(); i++) {
                assertNull(got.put(b.trajectoryId(i), new Row(b, i)), "trajectory " + b.trajectoryId(i) + " twice");
            }
        }
        return got;
    }

    @Test
    void blocksAreBitIdenticalToTheGeneratorRunOnTheSameBatches() throws Exception {
        ConcurrentLinkedQueue<BlockRecord> sent = new ConcurrentLinkedQueue<>();
        TeacherStageSettings small = settings.withBlocks(3, 1 << 20); // B = 3: jobs are cut into several blocks
        TeacherBatchRunner runner = new TeacherBatchRunner(teacher, info, small);
        TeacherStageWorker worker = new TeacherStageWorker(runner, small, r -> {
            sent.add(r);
            return CompletableFuture.completedFuture(null);
        }, null);
        ValidatedPrompt a = prompt("a", "north", 5, 1_000);
        ValidatedPrompt b = prompt("b", "a blue dot", 9, 2_000);
        Ticket ta = new Ticket();
        Ticket tb = new Ticket();
        worker.submit(a, ta); // both in hand before the loop starts: the batches are known in advance
        worker.submit(b, tb);
        worker.start();
        await(() -> ta.doneCalls.get() == 1 && tb.doneCalls.get() == 1, "both prompts done");
        assertTrue(worker.stop(Duration.ofSeconds(30)));
        assertEquals(5, ta.trajectories);
        assertEquals(2, ta.blocks, "a: samples 0, 2, 4 with N = 3 (one block of 3), 1, 3 with N = 4 (one of 2)");
        assertEquals(4, tb.blocks, "b: 5 samples with N = 3 (blocks of 3 + 2), 4 with N = 4 (3 + 1)");

        Map<String, Row> got = rows(sent);
        assertEquals(14, got.size());

        // the same batches, computed directly: planner + generator, no worker, no encoding
        List<PromptPlan> plans = List.of(new PromptPlan(a), new PromptPlan(b));
        BatchPlanner planner = new BatchPlanner(small.batchSize());
        int compared = 0;
        for (Optional<JobBatch> next = planner.next(plans); next.isPresent(); next = planner.next(plans)) {
            JobBatch batch = next.get();
            TeacherTrajectory direct = runner.run(batch);
            int row = 0;
            for (SampleJob job : batch.jobs()) {
                for (int j = 0; j < job.size(); j++, row++) {
                    Row t = got.get(job.trajectoryId(j));
                    assertEquals(job.seed(j), t.block().seed()[t.row()]);
                    assertEquals(batch.stepCount(), t.block().steps());
                    assertEquals(job.prompt().label(), t.block().label()[t.row()]);
                    assertEquals(info.sha256(), t.block().teacherSha256());
                    for (int n = batch.stepCount(); n >= 0; n--) {
                        assertArrayEquals(direct.pointAt(n).sample(row), t.point(n),
                                "bit-identical x at n = " + n + " of " + job.trajectoryId(j));
                    }
                    compared++;
                }
            }
        }
        assertEquals(14, compared);

        // one sample alone (another batch composition): equal within float tolerance
        Row one = got.get(TrajectoryIds.of("b", 4, 2_004));
        TeacherTrajectory alone = runner.run(new JobBatch(3, List.of(new SampleJob(b, 3, new int[] {4}))));
        float[] expected = alone.last().sample(0);
        float[] actual = one.point(0);
        for (int i = 0; i < expected.length; i++) {
            assertEquals(expected[i], actual[i], 1e-5, "x_0 of b/4 alone vs in a batch");
        }
    }

    @Test
    void onePromptOfOneSampleDoesNotMakeABatchOfOneAndABatchYieldsOneBlockPerPrompt() throws Exception {
        ConcurrentLinkedQueue<BlockRecord> sent = new ConcurrentLinkedQueue<>();
        ConcurrentLinkedQueue<Integer> batchSizes = new ConcurrentLinkedQueue<>();
        TeacherStageSettings one = settings.withStepCounts(List.of(3)).withBatch(16, Duration.ofSeconds(30))
                .withLimits(64, 64);
        TeacherStageWorker worker = new TeacherStageWorker(new TeacherBatchRunner(teacher, info, one), one, r -> {
            sent.add(r);
            return CompletableFuture.completedFuture(null);
        }, new TeacherStageListener() {
            @Override
            public void batchGenerated(int stepCount, int samples, int batchSize, long nfe, long nanos) {
                batchSizes.add(samples);
            }
        });
        List<Ticket> tickets = new java.util.ArrayList<>();
        for (int i = 0; i < 32; i++) {
            Ticket t = new Ticket();
            tickets.add(t);
            worker.submit(prompt("one-" + i, "east", 1, 100 + i, one.stepCounts()), t);
        }
        worker.start();
        await(() -> tickets.stream().allMatch(t -> t.doneCalls.get() == 1), "32 one-sample prompts done");
        assertTrue(worker.stop(Duration.ofSeconds(30)));
        assertEquals(List.of(16, 16), List.copyOf(batchSizes), "32 prompts of 1 sample share two full teacher calls");
        assertEquals(32, sent.size(), "one block per prompt of each batch (a block is one prompt)");
        assertEquals(32, rows(sent).size());
        tickets.forEach(t -> assertEquals(1, t.blocks));
    }

    @Test
    void aPromptIsDoneOnlyWhenAllItsBlocksAreAcknowledgedAndInFlightIsCapped() throws Exception {
        ConcurrentLinkedQueue<CompletableFuture<Void>> pending = new ConcurrentLinkedQueue<>();
        AtomicInteger maxOutstanding = new AtomicInteger();
        AtomicInteger outstanding = new AtomicInteger();
        TeacherStageSettings capped = settings.withStepCounts(List.of(3)).withLimits(4, 10).withBlocks(1, 1 << 20);
        TeacherStageWorker worker = new TeacherStageWorker(new TeacherBatchRunner(teacher, info, capped), capped,
                r -> {
                    maxOutstanding.accumulateAndGet(outstanding.incrementAndGet(), Math::max);
                    CompletableFuture<Void> f = new CompletableFuture<>();
                    pending.add(f);
                    return f;
                }, null).start();
        Ticket t = new Ticket();
        worker.submit(prompt("p", "south", 20, 7, capped.stepCounts()), t);
        await(() -> pending.size() == 10, "10 blocks in flight");
        Thread.sleep(300); // would the worker send an eleventh? (not a timing assertion: the cap is a semaphore)
        assertEquals(10, pending.size(), "no more than max-in-flight-blocks unacknowledged");
        int acked = 0;
        while (acked < 20) {
            CompletableFuture<Void> f = pending.poll();
            if (f == null) {
                Thread.sleep(5);
                continue;
            }
            assertEquals(0, t.doneCalls.get(), "done before every block was acknowledged");
            outstanding.decrementAndGet();
            f.complete(null);
            acked++;
        }
        try {
            await(() -> t.doneCalls.get() == 1, "prompt done after the last acknowledgement");
        } catch (AssertionError e) {
            throw new AssertionError(e.getMessage() + "; crashed " + worker.crashed() + ", in flight "
                    + worker.inFlightBlocks() + ", active " + worker.activePrompts() + ", failure " + t.failure.get()
                    + ", pending " + pending.size(), e);
        }
        assertEquals(20, t.trajectories);
        assertEquals(20, t.blocks, "blocks of 1 row: 20 blocks");
        assertTrue(maxOutstanding.get() <= 10, "max outstanding " + maxOutstanding.get());
        assertTrue(worker.stop(Duration.ofSeconds(30)));
    }

    @Test
    void intakeWaitsBeyondTheActiveLimitAndFailuresReachTheTicket() throws Exception {
        TeacherStageSettings one = settings.withLimits(1, 100);
        AtomicInteger calls = new AtomicInteger();
        TeacherStageWorker worker = new TeacherStageWorker(new TeacherBatchRunner(teacher, info, one), one, r -> {
            if (r.promptId().equals("bad")) {
                return CompletableFuture.failedFuture(new IllegalStateException("broker refused"));
            }
            calls.incrementAndGet();
            return CompletableFuture.completedFuture(null);
        }, null);
        Ticket t1 = new Ticket();
        Ticket t2 = new Ticket();
        Ticket t3 = new Ticket();
        assertTrue(worker.submit(prompt("p1", "east", 3, 1), t1).toCompletableFuture().isDone());
        CompletionStage<Void> second = worker.submit(prompt("bad", "west", 3, 2), t2);
        CompletionStage<Void> third = worker.submit(prompt("p3", "west", 3, 3), t3);
        assertFalse(second.toCompletableFuture().isDone(), "beyond max-active-prompts the intake waits");
        assertFalse(third.toCompletableFuture().isDone());
        worker.start();
        await(() -> t1.doneCalls.get() == 1 && t3.doneCalls.get() == 1 && t2.failure.get() != null,
                "p1, p3 done, bad failed");
        assertTrue(second.toCompletableFuture().isDone() && third.toCompletableFuture().isDone());
        assertEquals(0, t2.doneCalls.get(), "a failed prompt is never done");
        assertEquals("broker refused", t2.failure.get().getMessage());
        assertNull(t1.failure.get());
        assertTrue(worker.stop(Duration.ofSeconds(30)));
    }

    static void await(BooleanSupplier condition, String what) throws InterruptedException {
        long deadline = System.nanoTime() + Duration.ofSeconds(90).toNanos();
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("gave up waiting for: " + what);
            }
            Thread.sleep(10);
        }
    }
}
