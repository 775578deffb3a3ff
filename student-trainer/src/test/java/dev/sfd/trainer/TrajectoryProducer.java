package dev.sfd.trainer;

import dev.sfd.core.diffusion.Condition;
import dev.sfd.core.diffusion.NoiseModel;
import dev.sfd.core.diffusion.solver.Solvers;
import dev.sfd.core.diffusion.solver.TeacherSolver;
import dev.sfd.core.diffusion.trajectory.TeacherTrajectory;
import dev.sfd.core.diffusion.trajectory.TrajectoryGenerator;
import dev.sfd.core.distill.ScheduleSpec;
import dev.sfd.core.distill.TeacherInfo;
import dev.sfd.core.tensor.FloatTensor;
import dev.sfd.core.trajectory.TensorDtype;
import dev.sfd.core.trajectory.TrajectoryHeader;
import dev.sfd.core.trajectory.TrajectoryKafkaHeaders;
import dev.sfd.core.trajectory.TrajectorySegment;
import dev.sfd.core.trajectory.TrajectorySegmentCodec;
import dev.sfd.pipeline.TeacherSource;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.Future;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringSerializer;

/**
 * Test input: real mixture2d teacher trajectories (DPM-Solver++(2M), K = 8, N = 3 on the
 * polynomial schedule: what teacher-service produces by default), one record per segment keyed
 * by trajectory id, with the segment's Kafka headers, written by a plain producer.
 */
final class TrajectoryProducer {

    static final TeacherSource TEACHER = TeacherSource.resolve("mixture2d");
    static final TeacherInfo INFO = TEACHER.info();
    static final int N = 3;

    static ScheduleSpec schedule() {
        return ScheduleSpec.polynomial(INFO.tMin(), INFO.tMax());
    }

    static KafkaProducer<String, byte[]> producer(String bootstrap) {
        Properties p = new Properties();
        p.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap);
        p.put(ProducerConfig.ACKS_CONFIG, "all");
        return new KafkaProducer<>(p, new StringSerializer(), new ByteArraySerializer());
    }

    /** Segments of trajectories with seeds first … first + count − 1, labels cycling over the classes. */
    static List<TrajectorySegment> segments(long first, int count) {
        double[] t = schedule().schedule().timestampsDescending(N);
        long[] seeds = new long[count];
        int[] labels = new int[count];
        for (int i = 0; i < count; i++) {
            seeds[i] = first + i;
            labels[i] = (int) ((first + i) % INFO.classes());
        }
        TeacherTrajectory traj;
        try (NoiseModel teacher = TEACHER.open(1)) {
            traj = new TrajectoryGenerator(teacher, new TeacherSolver(Solvers.byName("dpm++2m"), schedule().schedule(),
                    8)).generate(seeds, INFO.sampleShape(), t, Condition.labels(labels));
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
        List<Double> ts = Arrays.stream(t).boxed().toList();
        List<TrajectorySegment> out = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            TrajectoryHeader h = new TrajectoryHeader("traj-" + seeds[i], schedule().kind(),
                    Map.of("t_min", INFO.tMin(), "t_max", INFO.tMax()), N, ts, seeds[i], "", List.of(labels[i]),
                    List.of(), INFO.id() + "@" + INFO.sha256(), traj.solver(), traj.k());
            out.add(TrajectorySegment.first(h, sample(traj.points().get(0), i)));
            for (int step = N - 1; step >= 0; step--) {
                out.add(TrajectorySegment.teacherPoint(h, step, sample(traj.pointAt(step), i)));
            }
        }
        return out;
    }

    static void send(KafkaProducer<String, byte[]> producer, String topic, List<TrajectorySegment> segments)
            throws Exception {
        List<Future<RecordMetadata>> sent = new ArrayList<>();
        for (TrajectorySegment s : segments) {
            ProducerRecord<String, byte[]> r = new ProducerRecord<>(topic, s.trajectoryId(),
                    TrajectorySegmentCodec.encode(s, TensorDtype.FLOAT32));
            TrajectoryKafkaHeaders.asBytes(TrajectoryKafkaHeaders.of(s, TensorDtype.FLOAT32)).forEach(r.headers()::add);
            sent.add(producer.send(r));
        }
        for (Future<RecordMetadata> f : sent) {
            f.get();
        }
    }

    static void sendRaw(KafkaProducer<String, byte[]> producer, String topic, String key, byte[] value)
            throws Exception {
        producer.send(new ProducerRecord<>(topic, key, value)).get();
    }

    private static FloatTensor sample(FloatTensor batch, int i) {
        long[] shape = batch.shape().clone();
        shape[0] = 1;
        return new FloatTensor(shape, batch.sample(i));
    }

    private TrajectoryProducer() {
    }
}
