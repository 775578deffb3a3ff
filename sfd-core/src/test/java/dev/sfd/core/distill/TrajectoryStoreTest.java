package dev.sfd.core.distill;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.sfd.core.diffusion.NoiseModel;
import dev.sfd.core.diffusion.onnx.OnnxNoiseModel;
import dev.sfd.core.onnx.OnnxModel;
import dev.sfd.core.onnx.SessionConfig;
import dev.sfd.core.teachers.BuiltinTeachers;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Stored teacher trajectories ({@link TrajectoryStore}) on the built-in mixture2d teacher: the file
 * round-trips bit-exactly; one epoch from the file trains exactly the student of an on-the-fly run
 * with the same seed (same weights, bit for bit); a damaged record or a mismatched run is refused.
 */
class TrajectoryStoreTest {

    @TempDir
    Path dir;

    private static final OnnxModel TEACHER = BuiltinTeachers.load("mixture2d");
    private static final TeacherInfo INFO = TeacherInfo.of("mixture2d", TEACHER, TEACHER.toBytes());

    private static SfdConfig.Builder config() {
        return SfdConfig.builder(ScheduleSpec.polynomial(INFO.tMin(), INFO.tMax())).solver("dpm++2m").k(3)
                .stepCounts(3, 4).budget(200).batch(32).learningRate(1e-3).seed(7).threads(1);
    }

    private static StudentFromTeacher.StudentGraph student() {
        return StudentFromTeacher.build(TEACHER, INFO.timeEmbedding(), INFO.timeEmbeddingWidth(), 7);
    }

    private static NoiseModel teacher() {
        return OnnxNoiseModel.open("teacher", TEACHER.toBytes(), SessionConfig.cpu(1), OnnxNoiseModel.Names.defaults());
    }

    private Path write(SfdConfig c) {
        Path file = dir.resolve("t.traj");
        try (NoiseModel t = teacher(); TrajectoryStore.Writer w = TrajectoryStore.create(file,
                TrajectoryStore.Header.of(INFO, c))) {
            long nfe = new SfdDistiller(t, INFO, student(), c).generate(w);
            assertEquals(200, w.trajectoriesWritten());
            assertTrue(nfe > 0);
        }
        return file;
    }

    @Test
    void fileRoundTripsBitExactly() {
        SfdConfig c = config().build();
        Path file = write(c);
        TrajectoryStore.Contents a = TrajectoryStore.read(file);
        assertEquals(200, a.trajectories());
        assertEquals(7, a.batches().size()); // 6 × 32 + 8
        assertEquals(c.stepCounts(), a.header().stepCounts());
        assertEquals(c.schedule(), a.header().schedule());
        assertTrue(a.header().mismatches(INFO, c).isEmpty());
        Path copy = dir.resolve("copy.traj");
        try (TrajectoryStore.Writer w = TrajectoryStore.create(copy, a.header())) {
            a.batches().forEach(b -> w.append(b.trajectory(), b.labels()));
        }
        TrajectoryStore.Contents b = TrajectoryStore.read(copy);
        for (int i = 0; i < a.batches().size(); i++) {
            var x = a.batches().get(i);
            var y = b.batches().get(i);
            assertArrayEquals(x.trajectory().seeds(), y.trajectory().seeds());
            assertArrayEquals(x.labels(), y.labels());
            assertArrayEquals(x.trajectory().timestamps(), y.trajectory().timestamps());
            assertEquals(x.trajectory().nfe(), y.trajectory().nfe());
            for (int p = 0; p < x.trajectory().points().size(); p++) {
                assertArrayEquals(x.trajectory().points().get(p).data(), y.trajectory().points().get(p).data());
            }
        }
        try {
            assertArrayEquals(Files.readAllBytes(file), Files.readAllBytes(copy)); // the bytes themselves
        } catch (java.io.IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    @Test
    void oneEpochFromTheFileTrainsTheSameStudentAsOnTheFly() {
        SfdConfig c = config().build();
        Path file = write(c);
        DistillationResult fly;
        try (NoiseModel t = teacher()) {
            fly = new SfdDistiller(t, INFO, student(), c).run();
        }
        DistillationResult replay = new SfdDistiller(null, INFO, student(), c).replay(TrajectoryStore.read(file), 1);
        assertEquals(fly.optimizerSteps(), replay.optimizerSteps());
        assertEquals(fly.trajectories(), replay.trajectories());
        Map<String, float[]> a = TrajectoryStoreTest.values(fly.student());
        Map<String, float[]> b = TrajectoryStoreTest.values(replay.student());
        assertEquals(a.keySet(), b.keySet());
        a.forEach((k, v) -> assertArrayEquals(v, b.get(k), "parameter " + k));
        // two epochs: twice the Adam steps, different weights (the second pass moves them)
        DistillationResult two = new SfdDistiller(null, INFO, student(), c).replay(TrajectoryStore.read(file), 2);
        assertEquals(2 * fly.trajectories(), two.trajectories());
        assertTrue(two.optimizerSteps() > fly.optimizerSteps());
    }

    @Test
    void damagedOrMismatchedFilesAreRefused() throws Exception {
        SfdConfig c = config().build();
        Path file = write(c);
        TrajectoryStore.Contents ok = TrajectoryStore.read(file);
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> new SfdDistiller(null, INFO, student(), config().k(4).build()).replay(ok, 1));
        assertTrue(e.getMessage().contains("K=3") && e.getMessage().contains("K=4"), e.getMessage());
        byte[] bytes = Files.readAllBytes(file);
        bytes[bytes.length / 2] ^= 0x10;
        Path bad = dir.resolve("bad.traj");
        Files.write(bad, bytes);
        UncheckedIOException crc = assertThrows(UncheckedIOException.class, () -> TrajectoryStore.read(bad));
        assertTrue(crc.getMessage().contains("CRC32C"), crc.getMessage());
        Path cut = dir.resolve("cut.traj");
        Files.write(cut, java.util.Arrays.copyOf(Files.readAllBytes(file), bytes.length - 3));
        UncheckedIOException trunc = assertThrows(UncheckedIOException.class, () -> TrajectoryStore.read(cut));
        assertTrue(trunc.getMessage().contains("truncated"), trunc.getMessage());
    }

    @Test
    void unconditionalBatchesStoreNoLabels() {
        TrajectoryStore.Contents data = TrajectoryStore.read(write(config().build()));
        // mixture2d is class-conditional: every batch carries its labels
        data.batches().forEach(b -> assertEquals(b.size(), b.labels().length));
        TrajectoryStore.Batch first = data.batches().get(0);
        Path none = dir.resolve("none.traj");
        try (TrajectoryStore.Writer w = TrajectoryStore.create(none, data.header())) {
            w.append(first.trajectory(), null);
        }
        assertNull(TrajectoryStore.read(none).batches().get(0).labels());
    }

    @Test
    void regroupedBatchesKeepEachTrajectoryWithItsSeedLabelAndPoints() {
        TrajectoryStore.Contents data = TrajectoryStore.read(write(config().build()));
        Map<Long, float[][]> points = new java.util.HashMap<>();
        Map<Long, Long> labels = new java.util.HashMap<>();
        for (TrajectoryStore.Batch b : data.batches()) {
            for (int i = 0; i < b.size(); i++) {
                int d = b.trajectory().points().get(0).sampleSize();
                float[][] p = new float[b.trajectory().points().size()][];
                for (int j = 0; j < p.length; j++) {
                    p[j] = java.util.Arrays.copyOfRange(b.trajectory().points().get(j).data(), i * d, (i + 1) * d);
                }
                points.put(b.trajectory().seeds()[i], p);
                labels.put(b.trajectory().seeds()[i], b.labels()[i]);
            }
        }
        var regrouped = TrajectoryReplay.regroup(data, 48, new dev.sfd.core.random.SplitMix64(3));
        java.util.Set<Long> seen = new java.util.HashSet<>();
        for (TrajectoryStore.Batch b : regrouped) {
            assertTrue(b.size() <= 48);
            for (int i = 0; i < b.size(); i++) {
                long seed = b.trajectory().seeds()[i];
                assertTrue(seen.add(seed), "trajectory " + seed + " twice in one pass");
                assertEquals(labels.get(seed), b.labels()[i]);
                float[][] p = points.get(seed);
                assertEquals(p.length, b.trajectory().points().size(), "N of trajectory " + seed);
                int d = b.trajectory().points().get(0).sampleSize();
                for (int j = 0; j < p.length; j++) {
                    assertArrayEquals(p[j], java.util.Arrays.copyOfRange(b.trajectory().points().get(j).data(), i * d,
                            (i + 1) * d), "point " + j + " of trajectory " + seed);
                }
            }
        }
        assertEquals(200, seen.size());
    }

    static Map<String, float[]> values(OnnxModel m) {
        Map<String, float[]> out = new java.util.TreeMap<>();
        m.parameters().forEach((k, v) -> out.put(k, dev.sfd.core.onnx.Tensors.toFloats(v)));
        return out;
    }
}
