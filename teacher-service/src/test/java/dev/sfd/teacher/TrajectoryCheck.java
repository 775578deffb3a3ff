package dev.sfd.teacher;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.sfd.core.diffusion.NoiseModel;
import dev.sfd.core.diffusion.trajectory.TeacherTrajectory;
import dev.sfd.core.distill.TeacherInfo;
import dev.sfd.core.trajectory.Trajectory;
import dev.sfd.core.trajectory.TrajectoryAssembler;
import dev.sfd.core.trajectory.TrajectoryKafkaHeaders;
import dev.sfd.core.trajectory.TrajectorySegmentCodec;
import dev.sfd.pipeline.TeacherSource;
import dev.sfd.pipeline.teacher.JobBatch;
import dev.sfd.pipeline.teacher.SampleJob;
import dev.sfd.pipeline.teacher.TeacherBatchRunner;
import dev.sfd.pipeline.teacher.TeacherStageSettings;
import dev.sfd.pipeline.teacher.TrajectoryIds;
import dev.sfd.pipeline.teacher.ValidatedPrompt;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.apache.kafka.clients.consumer.ConsumerRecord;

/**
 * Decodes trajectory segments read from Kafka and checks them against the teacher run in this test
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

    /**
     * Complete trajectories by id, from segment records in topic order, keeping the first copy of
     * each segment (a re-sent trajectory repeats segments, possibly after a partial first copy).
     */
    static Map<String, Trajectory> assemble(List<ConsumerRecord<String, byte[]>> records) {
        Map<String, Trajectory> out = new HashMap<>();
        TrajectoryAssembler assembler = new TrajectoryAssembler(0);
        java.util.Set<String> seen = new java.util.HashSet<>();
        try {
            for (ConsumerRecord<String, byte[]> r : records) {
                if (!seen.add(r.key() + "#" + KafkaTestClients.header(r, TrajectoryKafkaHeaders.SEGMENT_INDEX))) {
                    continue;
                }
                assembler.accept(TrajectorySegmentCodec.decode(r.value())).ifPresent(t -> out.putIfAbsent(t.id(), t));
            }
        } catch (Exception e) {
            throw new AssertionError("segments do not assemble: " + e.getMessage(), e);
        }
        return out;
    }

    /** Checks every trajectory of {@code prompt} in {@code got} against the teacher in process. */
    static int compare(ValidatedPrompt prompt, Map<String, Trajectory> got, TeacherStageSettings settings) {
        TeacherSource source = TeacherSource.resolve("mixture2d");
        TeacherInfo info = source.info();
        int compared = 0;
        try (NoiseModel teacher = source.open(1)) {
            TeacherBatchRunner runner = new TeacherBatchRunner(teacher, info, settings);
            for (int i = 0; i < prompt.count(); i++) {
                int n = prompt.stepCount(i);
                Trajectory t = got.get(TrajectoryIds.of(prompt.id(), i, prompt.seed(i)));
                assertTrue(t != null, "missing trajectory " + i + " of " + prompt.id());
                assertEquals(n, t.steps(), "N of sample " + i);
                assertEquals(prompt.seed(i), t.header().seed());
                assertEquals(List.of(prompt.label()), t.header().conditionIds());
                assertEquals(prompt.request().prompt(), t.header().prompt());
                TeacherTrajectory alone = runner.run(new JobBatch(n, List.of(new SampleJob(prompt, n, new int[] {i}))));
                assertArrayEquals(alone.pointAt(n).sample(0), t.point(n).data(), "x_N is the seed's noise exactly");
                for (int k = n - 1; k >= 0; k--) {
                    float[] expected = alone.pointAt(k).sample(0);
                    float[] actual = t.point(k).data();
                    for (int d = 0; d < expected.length; d++) {
                        double tol = TOLERANCE * Math.max(1, Math.abs(expected[d]));
                        assertEquals(expected[d], actual[d], tol, t.id() + " at n = " + k);
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
