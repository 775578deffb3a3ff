package dev.sfd.trainer;

import dev.sfd.core.diffusion.Condition;
import dev.sfd.core.diffusion.NoiseModel;
import dev.sfd.core.diffusion.solver.Solvers;
import dev.sfd.core.diffusion.solver.TeacherSolver;
import dev.sfd.core.diffusion.trajectory.TeacherTrajectory;
import dev.sfd.core.diffusion.trajectory.TrajectoryGenerator;
import dev.sfd.core.distill.ScheduleSpec;
import dev.sfd.core.distill.TeacherInfo;
import dev.sfd.core.trajectory.TensorDtype;
import dev.sfd.core.trajectory.TrajectoryBlock;
import dev.sfd.core.trajectory.TrajectoryBlockCodec;
import dev.sfd.core.trajectory.TrajectoryKafkaHeaders;
import dev.sfd.pipeline.TeacherSource;
import java.util.ArrayList;
import java.util.List;
import java.util.Properties;
import java.util.concurrent.Future;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringSerializer;

/**
 * Test input: real teacher trajectories (DPM-Solver++(2M), K = 8, N = 3 on the polynomial
 * schedule: what teacher-service produces by default), as trajectory blocks of one prompt keyed by
 * block id, with the blocks' Kafka headers, written by a plain producer.
 */
final class TrajectoryProducer {

    static final TeacherSource TEACHER = TeacherSource.resolve("mixture2d");
    static final TeacherInfo INFO = TEACHER.info();
    static final int N = 3;
    /** Rows per block, as teacher-service cuts mixture2d by default. */
    static final int ROWS = 256;

    static ScheduleSpec schedule() {
        return schedule(INFO);
    }

    static ScheduleSpec schedule(TeacherInfo info) {
        return ScheduleSpec.polynomial(info.tMin(), info.tMax());
    }

    static KafkaProducer<String, byte[]> producer(String bootstrap) {
        Properties p = new Properties();
        p.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap);
        p.put(ProducerConfig.ACKS_CONFIG, "all");
        p.put(ProducerConfig.MAX_REQUEST_SIZE_CONFIG, Integer.toString(1 << 20));
        return new KafkaProducer<>(p, new StringSerializer(), new ByteArraySerializer());
    }

    /** mixture2d trajectories of prompt {@code "p" + first}: sample i has seed first + i. */
    static List<TrajectoryBlock> blocks(long first, int count) {
        return blocks(TEACHER, "p" + first, first, count, ROWS, INFO.sha256());
    }

    /**
     * {@code count} trajectories of {@code teacher} for prompt {@code promptId} (sample i: seed
     * first + i, label cycling over the classes) in blocks of {@code rows}, stamped with {@code sha256}.
     */
    static List<TrajectoryBlock> blocks(TeacherSource teacher, String promptId, long first, int count, int rows,
                                        String sha256) {
        TeacherInfo info = teacher.info();
        double[] t = schedule(info).schedule().timestampsDescending(N);
        long[] seeds = new long[count];
        int[] labels = new int[count];
        for (int i = 0; i < count; i++) {
            seeds[i] = first + i;
            labels[i] = info.classes() > 0 ? (int) ((first + i) % info.classes()) : -1;
        }
        List<TrajectoryBlock> out = new ArrayList<>();
        try (NoiseModel model = teacher.open(1)) {
            TrajectoryGenerator generator = new TrajectoryGenerator(model, new TeacherSolver(Solvers.byName("dpm++2m"),
                    schedule(info).schedule(), 8));
            for (int from = 0; from < count; from += rows) {
                int b = Math.min(rows, count - from);
                long[] s = java.util.Arrays.copyOfRange(seeds, from, from + b);
                int[] l = java.util.Arrays.copyOfRange(labels, from, from + b);
                TeacherTrajectory traj = generator.generate(s, info.sampleShape(), t,
                        info.classes() > 0 ? Condition.labels(l) : Condition.none());
                int d = traj.points().get(0).sampleSize();
                float[] points = new float[(N + 1) * b * d];
                for (int i = 0; i <= N; i++) {
                    System.arraycopy(traj.points().get(i).data(), 0, points, i * b * d, b * d);
                }
                int[] index = new int[b];
                for (int r = 0; r < b; r++) {
                    index[r] = from + r;
                }
                out.add(new TrajectoryBlock(info.id(), sha256, traj.solver(), traj.k(), schedule(info).kind(), t,
                        promptId, "", "", info.sampleShape(), index, s, l, points));
            }
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
        return out;
    }

    /** Every trajectory id of {@code blocks}. */
    static List<String> ids(List<TrajectoryBlock> blocks) {
        List<String> out = new ArrayList<>();
        for (TrajectoryBlock b : blocks) {
            for (int r = 0; r < b.rows(); r++) {
                out.add(b.trajectoryId(r));
            }
        }
        return out;
    }

    static void send(KafkaProducer<String, byte[]> producer, String topic, List<TrajectoryBlock> blocks)
            throws Exception {
        List<Future<RecordMetadata>> sent = new ArrayList<>();
        for (ProducerRecord<String, byte[]> r : records(topic, blocks)) {
            sent.add(producer.send(r));
        }
        for (Future<RecordMetadata> f : sent) {
            f.get();
        }
    }

    /** The blocks as the teacher writes them: key = block id, float32 points, routing headers. */
    static List<ProducerRecord<String, byte[]>> records(String topic, List<TrajectoryBlock> blocks) {
        List<ProducerRecord<String, byte[]>> out = new ArrayList<>();
        for (TrajectoryBlock b : blocks) {
            ProducerRecord<String, byte[]> r = new ProducerRecord<>(topic, b.blockId(),
                    TrajectoryBlockCodec.encode(b, TensorDtype.FLOAT32));
            TrajectoryKafkaHeaders.of(b).forEach(r.headers()::add);
            out.add(r);
        }
        return out;
    }

    static void sendRaw(KafkaProducer<String, byte[]> producer, String topic, String key, byte[] value)
            throws Exception {
        producer.send(new ProducerRecord<>(topic, key, value)).get();
    }

    private TrajectoryProducer() {
    }
}
