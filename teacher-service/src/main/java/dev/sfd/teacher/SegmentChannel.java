package dev.sfd.teacher;

import dev.sfd.pipeline.teacher.SegmentRecord;
import dev.sfd.pipeline.teacher.SegmentSink;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.eclipse.microprofile.reactive.messaging.Channel;
import org.eclipse.microprofile.reactive.messaging.Emitter;
import org.eclipse.microprofile.reactive.messaging.Message;
import org.eclipse.microprofile.reactive.messaging.OnOverflow;

/**
 * The two outgoing channels: {@code trajectories} (segments) and {@code prompts-dlq} (dead
 * letters). Each send completes when the broker acknowledged the record (acks=all, see
 * application.properties). The buffer is unbounded here because the stage itself caps the
 * segments in flight ({@code sfd.teacher.max-in-flight-segments}).
 */
@ApplicationScoped
public class SegmentChannel implements SegmentSink {

    @Inject
    @Channel("trajectories")
    @OnOverflow(OnOverflow.Strategy.UNBOUNDED_BUFFER)
    Emitter<ProducerRecord<String, byte[]>> trajectories;

    @Inject
    @Channel("prompts-dlq")
    @OnOverflow(OnOverflow.Strategy.UNBOUNDED_BUFFER)
    Emitter<ProducerRecord<String, byte[]>> deadLetters;

    @Inject
    TeacherSettings settings;

    @Override
    public CompletionStage<Void> send(SegmentRecord segment) {
        ProducerRecord<String, byte[]> record = new ProducerRecord<>(settings.trajectoriesTopic(), segment.key(),
                segment.value());
        segment.headers().forEach(record.headers()::add);
        return acknowledged(trajectories, record);
    }

    /** Sends a dead letter (built by {@code DeadLetterRecord}). */
    public CompletionStage<Void> deadLetter(ProducerRecord<String, byte[]> record) {
        return acknowledged(deadLetters, record);
    }

    private static CompletionStage<Void> acknowledged(Emitter<ProducerRecord<String, byte[]>> emitter,
                                                      ProducerRecord<String, byte[]> record) {
        CompletableFuture<Void> acked = new CompletableFuture<>();
        emitter.send(Message.of(record)
                .withAck(() -> {
                    acked.complete(null);
                    return CompletableFuture.completedFuture(null);
                })
                .withNack(error -> {
                    acked.completeExceptionally(error);
                    return CompletableFuture.completedFuture(null);
                }));
        return acked;
    }
}
