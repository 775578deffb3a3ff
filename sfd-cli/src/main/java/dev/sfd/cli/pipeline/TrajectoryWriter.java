package dev.sfd.cli.pipeline;

import dev.sfd.core.diffusion.trajectory.TeacherTrajectory;
import dev.sfd.core.tensor.FloatTensor;
import dev.sfd.core.trajectory.TensorDtype;
import dev.sfd.core.trajectory.TrajectoryHeader;
import dev.sfd.core.trajectory.TrajectoryKafkaHeaders;
import dev.sfd.core.trajectory.TrajectorySegment;
import dev.sfd.core.trajectory.TrajectorySegmentCodec;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Future;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;

/**
 * Streams a batch of teacher trajectories into {@code sfd.trajectories}: one trajectory per
 * sample, one record per segment (x_N with the header first, then x̃_{N−1} … x̃_0), keyed by the
 * trajectory id so its segments stay ordered in one partition.
 */
public final class TrajectoryWriter {

    /** What the header needs beyond the trajectory itself. */
    public record Provenance(String idPrefix, String scheduleName, Map<String, Double> scheduleParams,
                             List<String> prompts, int[] labels, String teacher) {
    }

    private final KafkaProducer<String, byte[]> producer;
    private final String topic;

    public TrajectoryWriter(KafkaProducer<String, byte[]> producer, String topic) {
        this.producer = producer;
        this.topic = topic;
    }

    /** Sends every segment of every sample; returns the number of records sent. */
    public int write(TeacherTrajectory batch, Provenance p) throws Exception {
        List<Future<RecordMetadata>> sent = new ArrayList<>();
        int samples = batch.points().get(0).batch();
        List<Double> timestamps = Arrays.stream(batch.timestamps()).boxed().toList();
        for (int i = 0; i < samples; i++) {
            TrajectoryHeader header = new TrajectoryHeader(p.idPrefix() + "-" + batch.seeds()[i], p.scheduleName(),
                    p.scheduleParams(), batch.steps(), timestamps, batch.seeds()[i], p.prompts().get(i),
                    List.of(p.labels()[i]), List.of(), p.teacher(), batch.solver(), batch.k());
            sent.add(send(TrajectorySegment.first(header, sample(batch.points().get(0), i))));
            for (int n = batch.steps() - 1; n >= 0; n--) {
                sent.add(send(TrajectorySegment.teacherPoint(header, n, sample(batch.pointAt(n), i))));
            }
        }
        for (Future<RecordMetadata> f : sent) {
            f.get();
        }
        return sent.size();
    }

    private Future<RecordMetadata> send(TrajectorySegment segment) {
        ProducerRecord<String, byte[]> record = new ProducerRecord<>(topic, segment.trajectoryId(),
                TrajectorySegmentCodec.encode(segment, TensorDtype.FLOAT32));
        TrajectoryKafkaHeaders.asBytes(TrajectoryKafkaHeaders.of(segment, TensorDtype.FLOAT32))
                .forEach(record.headers()::add);
        return producer.send(record);
    }

    private static FloatTensor sample(FloatTensor batch, int i) {
        long[] shape = batch.shape().clone();
        shape[0] = 1;
        return new FloatTensor(shape, batch.sample(i));
    }
}
