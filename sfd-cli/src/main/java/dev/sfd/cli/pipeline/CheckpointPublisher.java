package dev.sfd.cli.pipeline;

import dev.sfd.core.distill.DistillationResult;
import dev.sfd.core.distill.StudentMetadata;
import dev.sfd.core.store.CheckpointManifest;
import dev.sfd.core.store.CheckpointStore;
import dev.sfd.stack.TopicSpec;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.Map;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;

/**
 * Publishes a trained student: {@code student.onnx} then {@code manifest.json} to the object store,
 * then the manifest as the {@code sfd.checkpoints} event (key = student name, compacted topic).
 */
public final class CheckpointPublisher {

    private CheckpointPublisher() {
    }

    public static CheckpointManifest publish(CheckpointStore store, KafkaProducer<String, byte[]> producer,
                                             String student, DistillationResult result, Map<String, Double> metrics)
            throws Exception {
        byte[] onnx = result.student().toBytes();
        long version = store.latestVersion(student).orElse(0L) + 1;
        StudentMetadata meta = result.metadata();
        CheckpointManifest draft = new CheckpointManifest(CheckpointManifest.SCHEMA_VERSION, student, version, null,
                CheckpointStore.sha256(onnx), onnx.length, result.optimizerSteps(), meta.stepCounts(),
                meta.schedule().kind() + "(t_min=" + meta.schedule().tMin() + ", t_max=" + meta.schedule().tMax()
                        + ", rho=" + meta.schedule().rho() + ")",
                meta.teacherId() + "@" + meta.teacherSha256(), metrics, Instant.now().toString());
        CheckpointManifest stored = store.put(draft, onnx);
        producer.send(new ProducerRecord<>(TopicSpec.CHECKPOINTS, student,
                stored.toJson().getBytes(StandardCharsets.UTF_8))).get();
        return stored;
    }
}
