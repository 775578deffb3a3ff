package dev.sfd.pipeline.sampler;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.sfd.core.distill.StudentCheckpoint;
import dev.sfd.core.distill.StudentMetadata;
import dev.sfd.core.distill.StudentSample;
import dev.sfd.core.distill.StudentSampler;
import dev.sfd.core.onnx.OnnxModel;
import dev.sfd.core.onnx.SessionConfig;
import dev.sfd.core.store.CheckpointStore;
import dev.sfd.stack.LocalStack;
import dev.sfd.stack.LocalStackExtension;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/** The dynamic batcher on a real live model (local stack store, ONNX Runtime). */
@ExtendWith(LocalStackExtension.class)
class DynamicBatcherTest {

    private final LocalStack stack;
    private CheckpointStore store;
    private LiveModel live;
    private final List<int[]> batches = Collections.synchronizedList(new ArrayList<>());

    DynamicBatcherTest(LocalStack stack) {
        this.stack = stack;
    }

    @BeforeEach
    void open() {
        store = Checkpoints.store(stack);
        String student = Checkpoints.uniqueStudent("batch");
        Checkpoints.publish(store, student, 1, Checkpoints.mixtureStudent());
        live = new LiveModel(store, student, SessionConfig.cpu(1), 8, LiveModelListener.NONE, Clock.systemUTC());
        assertEquals(ReloadOutcome.Result.LOADED, live.refresh().result());
    }

    @AfterEach
    void close() throws Exception {
        live.close();
        store.close();
    }

    private DynamicBatcher batcher(int maxBatch, Duration delay, int capacity) {
        // Triton's rule, no fast path: requests are held for the delay even when alone (reproducible batches)
        return new DynamicBatcher(live, new BatcherSettings(maxBatch, delay, capacity, 1, new int[0], false, true),
                (requests, samples, nanos) -> batches.add(new int[] {requests, samples}));
    }

    @Test
    void mergedRequestsGiveTheSamplesEachWouldGetAlone() throws Exception {
        List<SampleRequest> requests = new ArrayList<>();
        for (int i = 0; i < 6; i++) {
            long[] seeds = i % 2 == 0 ? new long[] {100 + i} : new long[] {200 + i, 300 + i};
            requests.add(new SampleRequest(i % 4, 3, 1.0, seeds, false));
        }
        requests.add(new SampleRequest(1, 5, 1.0, new long[] {7}, false)); // another N: its own call
        requests.add(new SampleRequest(2, 3, 2.0, new long[] {8}, false)); // another ω: its own call
        List<SampleBatch> results = new ArrayList<>();
        // a long delay and a max batch of exactly the 9 compatible samples: the merged call is due when full
        try (DynamicBatcher b = batcher(9, Duration.ofSeconds(30), 64)) {
            List<Submission> subs = new ArrayList<>();
            for (SampleRequest r : requests.subList(0, 6)) {
                subs.add(b.submit(r, Long.MAX_VALUE));
            }
            for (Submission s : subs) {
                results.add(s.result().get(60, TimeUnit.SECONDS));
            }
        }
        try (DynamicBatcher b = batcher(9, Duration.ZERO, 64)) {
            results.add(b.submit(requests.get(6), Long.MAX_VALUE).result().get(60, TimeUnit.SECONDS));
            results.add(b.submit(requests.get(7), Long.MAX_VALUE).result().get(60, TimeUnit.SECONDS));
        }
        assertArrayEquals(new int[] {6, 9}, batches.get(0), "six requests, nine samples, one model call");
        assertEquals(9, results.get(0).batchSize());

        byte[] onnx = Checkpoints.mixtureStudent();
        OnnxModel model = OnnxModel.parse("student", onnx);
        try (StudentSampler alone = new StudentSampler(new StudentCheckpoint(model, StudentMetadata.of(model),
                CheckpointStore.sha256(onnx)), SessionConfig.cpu(1))) {
            for (int i = 0; i < requests.size(); i++) {
                SampleRequest r = requests.get(i);
                int[] labels = new int[r.count()];
                java.util.Arrays.fill(labels, r.label());
                StudentSample expected = alone.sample(r.seeds(), labels, r.steps(), r.omega());
                SampleBatch got = results.get(i);
                assertArrayEquals(r.seeds(), got.seeds());
                assertArrayEquals(expected.samples().shape(), got.samples().shape());
                assertArrayEquals(expected.samples().data(), got.samples().data(), 1e-5f, "request " + i);
                assertArrayEquals(expected.timestamps(), got.timestamps());
                assertEquals(1, got.model().version());
            }
        }
    }

    @Test
    void aFullQueueRefusesAtOnce() throws Exception {
        try (DynamicBatcher b = batcher(64, Duration.ofSeconds(30), 4)) {
            Submission waiting = b.submit(new SampleRequest(0, 3, 1.0, new long[] {1, 2, 3}, false), Long.MAX_VALUE);
            SamplerException full = assertThrows(SamplerException.class,
                    () -> b.submit(new SampleRequest(0, 3, 1.0, new long[] {4, 5}, false), Long.MAX_VALUE));
            assertEquals(SamplerException.Kind.RESOURCE_EXHAUSTED, full.kind());
            assertTrue(full.getMessage().contains("3 of 4 samples"), full.getMessage());
            waiting.cancel();
            assertEquals(SamplerException.Kind.CANCELLED, cause(waiting).kind());
            assertEquals(0, b.queuedSamples());
            Submission fits = b.submit(new SampleRequest(0, 3, 1.0, new long[] {4, 5, 6, 7}, false), Long.MAX_VALUE);
            fits.cancel();
        }
    }

    @Test
    void aRequestWhoseDeadlinePassesInTheQueueIsNotRun() throws Exception {
        try (DynamicBatcher b = batcher(64, Duration.ofSeconds(30), 16)) {
            Submission late = b.submit(new SampleRequest(0, 3, 1.0, new long[] {1}, false),
                    System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(100));
            assertEquals(SamplerException.Kind.DEADLINE_EXCEEDED, cause(late).kind());
            assertEquals(0, b.queuedSamples());
        }
        assertTrue(batches.isEmpty(), "no model call was made for it");
    }

    @Test
    void noModelMeansUnavailable() throws Exception {
        live.close();
        try (DynamicBatcher b = batcher(8, Duration.ZERO, 16)) {
            Submission s = b.submit(new SampleRequest(0, 3, 1.0, new long[] {1}, false), Long.MAX_VALUE);
            assertEquals(SamplerException.Kind.UNAVAILABLE, cause(s).kind());
        }
    }

    @Test
    void anIdleBatcherRunsTheRequestOnTheCallersThreadWithNoHandOff() throws Exception {
        List<String> threads = Collections.synchronizedList(new ArrayList<>());
        BatcherSettings fast = new BatcherSettings(8, Duration.ofSeconds(30), 64, 1, new int[0], true, false);
        try (DynamicBatcher b = new DynamicBatcher(live, fast,
                (requests, samples, nanos) -> threads.add(Thread.currentThread().getName()))) {
            Submission s = b.submit(new SampleRequest(0, 3, 1.0, new long[] {1, 2}, false), Long.MAX_VALUE);
            assertTrue(s.result().isDone(), "complete when submit returns: it ran on this thread");
            assertEquals(List.of(Thread.currentThread().getName()), threads);
            SampleBatch got = s.result().get();
            assertEquals(2, got.batchSize());
            assertTrue(got.queueNanos() >= 0 && got.modelNanos() > 0);
        }
    }

    @Test
    void aBurstArrivingBeforeThePostedDrainRunsSharesOneModelCallOnTheCallersLoop() throws Exception {
        List<String> threads = Collections.synchronizedList(new ArrayList<>());
        BatcherSettings fast = new BatcherSettings(8, Duration.ofSeconds(30), 64, 1, new int[0], true, false);
        java.util.concurrent.ExecutorService loop = java.util.concurrent.Executors.newSingleThreadExecutor(
                r -> new Thread(r, "test-event-loop"));
        try (DynamicBatcher b = new DynamicBatcher(live, fast, (requests, samples, nanos) -> {
            threads.add(Thread.currentThread().getName());
            batches.add(new int[] {requests, samples});
        })) {
            // three requests "read" in one loop iteration: the drain posted by the first runs after them
            List<Submission> subs = loop.submit(() -> List.of(
                    b.submit(new SampleRequest(0, 3, 1.0, new long[] {1}, false), Long.MAX_VALUE, loop),
                    b.submit(new SampleRequest(1, 3, 1.0, new long[] {2}, false), Long.MAX_VALUE, loop),
                    b.submit(new SampleRequest(2, 3, 1.0, new long[] {3, 4}, false), Long.MAX_VALUE, loop)))
                    .get(60, TimeUnit.SECONDS);
            for (Submission s : subs) {
                assertEquals(4, s.result().get(60, TimeUnit.SECONDS).batchSize());
            }
            loop.shutdown(); // the drain task tells the observer after completing the results: let it end
            assertTrue(loop.awaitTermination(60, TimeUnit.SECONDS));
        } finally {
            loop.shutdownNow();
        }
        assertEquals(List.of("test-event-loop"), threads, "one model call, on the loop the requests arrived on");
        assertArrayEquals(new int[] {3, 4}, batches.get(0));
    }

    @Test
    void aPreferredBatchSizeStartsTheCallWithoutWaitingOutTheDelay() throws Exception {
        // Triton's rule (the delay applies always) and a delay far beyond the test's wait: only the
        // preferred size can start the call
        BatcherSettings preferred = new BatcherSettings(8, Duration.ofMinutes(10), 64, 1, new int[] {3}, false, true);
        try (DynamicBatcher b = new DynamicBatcher(live, preferred,
                (requests, samples, nanos) -> batches.add(new int[] {requests, samples}))) {
            Submission one = b.submit(new SampleRequest(0, 3, 1.0, new long[] {1}, false), Long.MAX_VALUE);
            Submission two = b.submit(new SampleRequest(1, 3, 1.0, new long[] {2, 3}, false), Long.MAX_VALUE);
            assertEquals(3, one.result().get(60, TimeUnit.SECONDS).batchSize());
            assertEquals(3, two.result().get(60, TimeUnit.SECONDS).batchSize());
        }
        assertArrayEquals(new int[] {2, 3}, batches.get(0));
    }

    @Test
    void settingsRefusePreferredSizesOutOfOrderOrAboveTheMaxBatch() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> new BatcherSettings(8, Duration.ZERO, 64, 1, new int[] {4, 16}, true, false));
        assertTrue(e.getMessage().contains("sfd.sampler.preferred-batch-sizes") && e.getMessage().contains("[4, 16]"),
                e.getMessage());
        assertThrows(IllegalArgumentException.class,
                () -> new BatcherSettings(8, Duration.ZERO, 64, 1, new int[] {4, 2}, true, false));
    }

    private static SamplerException cause(Submission s) throws Exception {
        ExecutionException e = assertThrows(ExecutionException.class, () -> s.result().get(60, TimeUnit.SECONDS));
        return assertInstanceOf(SamplerException.class, e.getCause());
    }
}
