package dev.sfd.teacher;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.sfd.core.diffusion.NoiseModel;
import dev.sfd.core.diffusion.trajectory.TeacherTrajectory;
import dev.sfd.core.distill.TeacherInfo;
import dev.sfd.core.trajectory.TrajectoryBlock;
import dev.sfd.core.trajectory.TrajectoryBlockCodec;
import dev.sfd.pipeline.TeacherSource;
import dev.sfd.pipeline.teacher.JobBatch;
import dev.sfd.pipeline.teacher.SampleJob;
import dev.sfd.pipeline.teacher.TeacherBatchRunner;
import dev.sfd.pipeline.teacher.TeacherStageSettings;
import dev.sfd.pipeline.teacher.TrajectoryIds;
import dev.sfd.pipeline.teacher.ValidatedPrompt;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.apache.kafka.clients.consumer.ConsumerRecord;

/**
 * Decodes trajectory blocks read from Kafka and checks them against the teacher run in this test
 * process for the same seeds: x_N (seeded noise, no network) bit-identical; the teacher points
 * within {@link #TOLERANCE} (relative to max(1, |x|)), because the service may have batched the
 * sample with other prompts (another batch composition; at the same composition the pipeline's own
 * test shows bit-identity).
 */
final class TrajectoryCheck {

    /** Float tolerance of teacher points across batch compositions. */
    static final double TOLERANCE = 1e-5;

    private TrajectoryCheck() {
    }

    /** One trajectory: row {@code row} of a decoded block. */
    record Row(TrajectoryBlock block, int row) {
        int steps() {
            return block.steps();
        }

        long seed() {
            return block.seed()[row];
        }

        /** The point at student step n (N = x_N … 0). */
        float[] point(int n) {
            int at = block.offset(block.steps() - n, row);
            return Arrays.copyOfRange(block.points(), at, at + block.sampleSize());
        }
    }

    /** Trajectories by id from block records in topic order, keeping the first copy of each. */
    static Map<String, Row> assemble(List<ConsumerRecord<String, byte[]>> records) {
        Map<String, Row> out = new HashMap<>();
        for (ConsumerRecord<String, byte[]> r : records) {
            TrajectoryBlock b = decode(r);
            for (int i = 0; i < b.rows(); i++) {
                out.putIfAbsent(b.trajectoryId(i), new Row(b, i));
            }
        }
        return out;
    }

    /** Trajectories in {@code records}, copies included. */
    static int rows(List<ConsumerRecord<String, byte[]>> records) {
        return records.stream().mapToInt(r -> decode(r).rows()).sum();
    }

    static TrajectoryBlock decode(ConsumerRecord<String, byte[]> r) {
        try {
            TrajectoryBlock b = TrajectoryBlockCodec.decode(r.value());
            assertEquals(b.blockId(), r.key(), "record key = block id");
            return b;
        } catch (Exception e) {
            throw new AssertionError("record " + r.partition() + "@" + r.offset() + " is not a valid block: "
                    + e.getMessage(), e);
        }
    }

    /** Checks every trajectory of {@code prompt} in {@code got} against the teacher in process. */
    static int compare(ValidatedPrompt prompt, Map<String, Row> got, TeacherStageSettings settings) {
        TeacherSource source = TeacherSource.resolve("mixture2d");
        TeacherInfo info = source.info();
        int compared = 0;
        try (NoiseModel teacher = source.open(1)) {
            TeacherBatchRunner runner = new TeacherBatchRunner(teacher, info, settings);
            for (int i = 0; i < prompt.count(); i++) {
                int n = prompt.stepCount(i);
                String id = TrajectoryIds.of(prompt.id(), i, prompt.seed(i));
                Row t = got.get(id);
                assertTrue(t != null, "missing trajectory " + i + " of " + prompt.id());
                assertEquals(n, t.steps(), "N of sample " + i);
                assertEquals(prompt.seed(i), t.seed());
                assertEquals(prompt.label(), t.block().label()[t.row()]);
                assertEquals(prompt.request().prompt(), t.block().prompt());
                assertEquals(info.sha256(), t.block().teacherSha256());
                TeacherTrajectory alone = runner.run(new JobBatch(n, List.of(new SampleJob(prompt, n, new int[] {i}))));
                assertArrayEquals(alone.pointAt(n).sample(0), t.point(n), "x_N is the seed's noise exactly");
                for (int k = n - 1; k >= 0; k--) {
                    float[] expected = alone.pointAt(k).sample(0);
                    float[] actual = t.point(k);
                    for (int d = 0; d < expected.length; d++) {
                        double tol = TOLERANCE * Math.max(1, Math.abs(expected[d]));
                        assertEquals(expected[d], actual[d], tol, id + " at n = " + k);
                    }
                }
                compared++;
            }
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
        return compared;
    }
}
