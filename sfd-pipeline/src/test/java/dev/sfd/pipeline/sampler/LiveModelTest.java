package dev.sfd.pipeline.sampler;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.sfd.core.onnx.OnnxModel;
import dev.sfd.core.onnx.SessionConfig;
import dev.sfd.core.onnx.Tensors;
import dev.sfd.core.store.CheckpointStore;
import dev.sfd.stack.LocalStack;
import dev.sfd.stack.LocalStackExtension;
import java.time.Clock;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/** The live model against the real local stack's object store and real ONNX Runtime sessions. */
@ExtendWith(LocalStackExtension.class)
class LiveModelTest {

    private final LocalStack stack;
    private CheckpointStore store;
    private String student;
    private LiveModel live;
    private final List<LoadedModel> loaded = Collections.synchronizedList(new ArrayList<>());
    private final List<Refusal> refusals = Collections.synchronizedList(new ArrayList<>());

    LiveModelTest(LocalStack stack) {
        this.stack = stack;
    }

    @BeforeEach
    void open() {
        store = Checkpoints.store(stack);
        student = Checkpoints.uniqueStudent("live");
        live = new LiveModel(store, student, SessionConfig.cpu(1), 4, new LiveModelListener() {
            @Override
            public void loaded(LoadedModel model, java.time.Duration loadTime) {
                loaded.add(model);
            }

            @Override
            public void refused(Refusal refusal) {
                refusals.add(refusal);
            }
        }, Clock.systemUTC());
    }

    @AfterEach
    void close() throws Exception {
        live.close();
        store.close();
    }

    @Test
    void noModelMeansUnavailableThenStartsWithTheNewestCompleteCheckpoint() throws Exception {
        SamplerException none = assertThrows(SamplerException.class, live::acquire);
        assertEquals(SamplerException.Kind.UNAVAILABLE, none.kind());
        assertEquals(ReloadOutcome.Result.UNCHANGED, live.refresh().result());
        assertFalse(live.ready());

        byte[] onnx = Checkpoints.mixtureStudent();
        Checkpoints.publish(store, student, 1, onnx);
        Checkpoints.publish(store, student, 2, onnx);
        Checkpoints.publishIncomplete(stack, student, 3, onnx); // no manifest yet: not complete

        ReloadOutcome first = live.refresh();
        assertEquals(ReloadOutcome.Result.LOADED, first.result(), first.reason());
        assertEquals(2, first.version());
        try (ModelLease lease = live.acquire()) {
            assertEquals(2, lease.model().version());
            assertEquals("mixture2d", lease.model().metadata().dataset());
        }
        assertEquals(ReloadOutcome.Result.UNCHANGED, live.refresh().result(), "nothing newer: no reload");
        assertEquals(1, loaded.size());
    }

    @Test
    void corruptAndIncompatibleCheckpointsAreRefusedWhileTheOldModelServes() throws Exception {
        byte[] onnx = Checkpoints.mixtureStudent();
        Checkpoints.publish(store, student, 1, onnx);
        assertEquals(ReloadOutcome.Result.LOADED, live.refresh().result());

        // v2: the file does not match the manifest's sha256
        Checkpoints.publishWithSha(stack, student, 2, onnx, "0".repeat(64));
        ReloadOutcome badSha = live.offer(store.manifest(student, 2));
        assertEquals(ReloadOutcome.Result.REFUSED, badSha.result());
        assertTrue(badSha.reason().startsWith("checksum"), badSha.reason());
        // v3: a truncated ONNX file whose manifest describes it faithfully
        byte[] truncated = Arrays.copyOf(onnx, onnx.length / 2);
        Checkpoints.publishRaw(store, student, 3, truncated);
        ReloadOutcome cut = live.offer(store.manifest(student, 3));
        assertEquals(ReloadOutcome.Result.REFUSED, cut.result());
        assertTrue(cut.reason().startsWith("contract"), cut.reason());
        // v4: a valid student of another data set (samples of another shape)
        Checkpoints.publishRaw(store, student, 4, Checkpoints.shapesStudent());
        ReloadOutcome other = live.offer(store.manifest(student, 4));
        assertEquals(ReloadOutcome.Result.REFUSED, other.result());
        assertTrue(other.reason().contains("'shapes' student"), other.reason());
        // v5: an ONNX file that is not a student at all (the teacher)
        Checkpoints.publishRaw(store, student, 5, dev.sfd.pipeline.TeacherSource.resolve("mixture2d").bytes());
        ReloadOutcome teacher = live.refresh(); // polling finds v5, then v4..v2, all refused or remembered
        assertEquals(ReloadOutcome.Result.REFUSED, teacher.result());
        assertTrue(teacher.reason().contains("not an SFD student"), teacher.reason());

        try (ModelLease lease = live.acquire()) {
            assertEquals(1, lease.model().version(), "the old model keeps serving");
            assertEquals(2, lease.model().sampler().sample(new long[] {1, 2}, new int[] {0, 1}, 3, 1.0).samples().batch());
        }
        assertEquals(List.of(2L, 3L, 4L, 5L), live.refusals().stream().map(Refusal::version).toList());
        assertEquals(4, refusals.size(), "each refused once: remembered, not retried on every poll");
        assertEquals(ReloadOutcome.Result.UNCHANGED, live.refresh().result());

        Checkpoints.publish(store, student, 6, onnx);
        assertEquals(ReloadOutcome.Result.LOADED, live.refresh().result());
        assertEquals(6, live.current().orElseThrow().version());
    }

    @Test
    void aCheckpointWithNaNWeightsIsRefusedWhileTheOldModelServes() throws Exception {
        byte[] onnx = Checkpoints.mixtureStudent();
        Checkpoints.publish(store, student, 1, onnx);
        assertEquals(ReloadOutcome.Result.LOADED, live.refresh().result());

        // v2: one weight NaN; v3: one weight +infinity. Both stored faithfully (manifest and sha256 match).
        OnnxModel model = OnnxModel.parse("student.onnx", onnx);
        var firstParameter = model.parameters().entrySet().iterator().next();
        float[] values = Tensors.toFloats(firstParameter.getValue());
        float[] withNaN = values.clone();
        withNaN[values.length / 2] = Float.NaN;
        Checkpoints.publishRaw(store, student, 2, model.withParameterValues(
                java.util.Map.of(firstParameter.getKey(), withNaN)).toBytes());
        float[] withInf = values.clone();
        withInf[0] = Float.POSITIVE_INFINITY;
        Checkpoints.publishRaw(store, student, 3, model.withParameterValues(
                java.util.Map.of(firstParameter.getKey(), withInf)).toBytes());

        ReloadOutcome nan = live.offer(store.manifest(student, 2));
        assertEquals(ReloadOutcome.Result.REFUSED, nan.result(), nan.reason());
        assertTrue(nan.reason().startsWith("weights") && nan.reason().contains("NaN")
                && nan.reason().contains(firstParameter.getKey()), nan.reason());
        ReloadOutcome inf = live.refresh();
        assertEquals(ReloadOutcome.Result.REFUSED, inf.result(), inf.reason());
        assertTrue(inf.reason().contains("Infinity"), inf.reason());

        try (ModelLease lease = live.acquire()) {
            assertEquals(1, lease.model().version(), "the old model keeps serving");
        }
        assertEquals(List.of(2L, 3L), live.refusals().stream().map(Refusal::version).toList(),
                "the refusals are visible (admin ModelInfo and the refused-reloads metric read them)");
        assertEquals(2, refusals.size());
    }

    @Test
    void anInFlightRequestKeepsItsSessionOpenAcrossASwap() throws Exception {
        byte[] onnx = Checkpoints.mixtureStudent();
        Checkpoints.publish(store, student, 1, onnx);
        live.refresh();
        ModelLease held = live.acquire();
        LoadedModel v1 = held.model();
        Checkpoints.publish(store, student, 2, onnx);
        assertEquals(ReloadOutcome.Result.LOADED, live.refresh().result());
        assertFalse(v1.isClosed(), "v1 is still in use");
        assertEquals(1, held.model().sampler().sample(new long[] {5}, new int[] {2}, 3, 1.0).samples().batch());
        held.close();
        assertTrue(v1.isClosed(), "the last request out closes v1");
        try (ModelLease now = live.acquire()) {
            assertEquals(2, now.model().version());
        }
    }

    @Test
    void swapsUnderConcurrentUseFailNoRequestAndNeverGoBackwards() throws Exception {
        byte[] onnx = Checkpoints.mixtureStudent();
        Checkpoints.publish(store, student, 1, onnx);
        live.refresh();
        AtomicBoolean stop = new AtomicBoolean();
        ConcurrentLinkedQueue<Throwable> errors = new ConcurrentLinkedQueue<>();
        ConcurrentLinkedQueue<String> backwards = new ConcurrentLinkedQueue<>();
        List<Thread> callers = new ArrayList<>();
        int[] calls = new int[3];
        for (int c = 0; c < 3; c++) {
            int id = c;
            Thread t = new Thread(() -> {
                long last = 0;
                while (!stop.get()) {
                    try (ModelLease lease = live.acquire()) {
                        long v = lease.model().version();
                        if (v < last) {
                            backwards.add(last + " -> " + v);
                        }
                        last = v;
                        lease.model().sampler().sample(new long[] {id, id + 10}, new int[] {id, 1}, 3, 1.0)
                                .samples().requireFinite("sample");
                        calls[id]++;
                    } catch (Throwable e) {
                        errors.add(e);
                    }
                }
            });
            t.start();
            callers.add(t);
        }
        for (long v = 2; v <= 6; v++) {
            Checkpoints.publish(store, student, v, onnx);
            assertEquals(ReloadOutcome.Result.LOADED, live.offer(store.manifest(student, v)).result());
        }
        stop.set(true);
        for (Thread t : callers) {
            t.join(60_000);
        }
        assertTrue(errors.isEmpty(), "failed calls: " + errors);
        assertTrue(backwards.isEmpty(), "versions went backwards: " + backwards);
        assertTrue(Arrays.stream(calls).allMatch(n -> n > 0), "every caller ran: " + Arrays.toString(calls));
        assertEquals(6, live.current().orElseThrow().version());
        List<LoadedModel> old = loaded.subList(0, loaded.size() - 1);
        assertEquals(5, old.size());
        assertTrue(old.stream().allMatch(LoadedModel::isClosed), "every replaced session is closed");
    }

    @Test
    void pinRollbackAndUnpin() throws Exception {
        byte[] onnx = Checkpoints.mixtureStudent();
        for (long v = 1; v <= 3; v++) {
            Checkpoints.publish(store, student, v, onnx);
        }
        live.refresh();
        assertEquals(3, live.current().orElseThrow().version());

        live.pin(1);
        assertEquals(1, live.current().orElseThrow().version());
        assertEquals(1, live.pinned().getAsLong());
        Checkpoints.publish(store, student, 4, onnx);
        assertEquals(ReloadOutcome.Result.UNCHANGED, live.offer(store.manifest(student, 4)).result(), "pinned");
        assertEquals(ReloadOutcome.Result.UNCHANGED, live.refresh().result(), "pinned");
        assertEquals(1, live.current().orElseThrow().version());

        SamplerException missing = assertThrows(SamplerException.class, () -> live.pin(99));
        assertEquals(SamplerException.Kind.NOT_FOUND, missing.kind());
        Checkpoints.publishWithSha(stack, student, 5, onnx, "1".repeat(64));
        SamplerException bad = assertThrows(SamplerException.class, () -> live.pin(5));
        assertEquals(SamplerException.Kind.FAILED_PRECONDITION, bad.kind());
        assertTrue(bad.getMessage().contains("checksum"), bad.getMessage());
        assertEquals(1, live.current().orElseThrow().version());

        assertEquals(ReloadOutcome.Result.LOADED, live.unpin().result());
        assertEquals(4, live.current().orElseThrow().version(), "unpinned: newest that can be served (v5 is corrupt)");
        assertEquals(List.of(3L, 1L, 4L), live.history());
        live.rollback();
        assertEquals(1, live.current().orElseThrow().version());
        assertEquals(1, live.pinned().getAsLong(), "a rollback pins");
        live.rollback();
        assertEquals(3, live.current().orElseThrow().version());
        SamplerException none = assertThrows(SamplerException.class, live::rollback);
        assertEquals(SamplerException.Kind.FAILED_PRECONDITION, none.kind());
    }
}
