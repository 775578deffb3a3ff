package dev.sfd.teacher;

import dev.sfd.pipeline.teacher.BlockRecord;
import dev.sfd.pipeline.teacher.BlockSink;
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
 * The two outgoing channels: {@code trajectories} (trajectory blocks, one record each) and {@code prompts-dlq} (dead
 * letters). Each send completes when the broker acknowledged the record (acks=all, see
 * application.properties). The buffer is unbounded here because the stage itself caps the
 * blocks in flight ({@code sfd.teacher.max-in-flight-blocks}).
 */
@ApplicationScoped
public class BlockChannel implements BlockSink {

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
    public CompletionStage<Void> send(BlockRecord block) {
        ProducerRecord<String, byte[]> record = new ProducerRecord<>(settings.trajectoriesTopic(), block.key(),
                block.value());
        block.headers().forEach(record.headers()::add);
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
