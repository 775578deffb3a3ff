package dev.sfd.teacher;

import dev.sfd.core.prompt.PromptException;
import dev.sfd.core.trajectory.TrajectoryKafkaHeaders;
import dev.sfd.pipeline.teacher.PromptTicket;
import dev.sfd.pipeline.teacher.ValidatedPrompt;
import dev.sfd.service.DeadLetterRecord;
import io.smallrye.reactive.messaging.kafka.api.IncomingKafkaRecordMetadata;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import org.eclipse.microprofile.reactive.messaging.Incoming;
import org.eclipse.microprofile.reactive.messaging.Message;
import org.jboss.logging.Logger;

/**
 * The {@code prompts} channel: validates each record; a bad one goes to the dead-letter topic and
 * its offset is acknowledged once the dead letter is; a good one goes to the teacher stage and is
 * acknowledged once all its blocks are. (Acknowledged = committable by the throttled commit
 * strategy, which commits only up to the oldest unacknowledged record.) The returned stage completes
 * when the stage has taken the prompt in, which is how backpressure reaches Kafka.
 */
@ApplicationScoped
public class PromptConsumer {

    private static final Logger LOG = Logger.getLogger(PromptConsumer.class);

    private final TeacherEngine engine;
    private final BlockChannel channel;
    private final TeacherMetrics metrics;
    private final TeacherSettings settings;

    public PromptConsumer(TeacherEngine engine, BlockChannel channel, TeacherMetrics metrics,
                          TeacherSettings settings) {
        this.engine = engine;
        this.channel = channel;
        this.metrics = metrics;
        this.settings = settings;
    }

    @Incoming("prompts")
    public CompletionStage<Void> consume(Message<byte[]> message) {
        return engine.started().thenCompose(running -> {
            ValidatedPrompt prompt;
            try {
                prompt = running.validator().validate(message.getPayload());
            } catch (PromptException e) {
                return deadLetter(message, e.getMessage());
            }
            metrics.accepted();
            if (prompt.truncated()) {
                metrics.truncated();
                LOG.warnf("prompt %s has more tokens than the tokenizer's max length: truncated for the text encoder "
                        + "(its blocks carry header %s=true); shorten it to keep every word", prompt.id(),
                        TrajectoryKafkaHeaders.PROMPT_TRUNCATED);
            }
            return running.worker().submit(prompt, new PromptTicket() {
                @Override
                public void done(int trajectories, long blocks) {
                    message.ack();
                }

                @Override
                public void failed(Throwable cause) {
                    LOG.errorf(cause, "prompt %s failed; its offset stays uncommitted", prompt.id());
                    message.nack(cause);
                }
            });
        });
    }

    private CompletionStage<Void> deadLetter(Message<byte[]> message, String reason) {
        metrics.rejected();
        IncomingKafkaRecordMetadata<?, ?> meta = message.getMetadata(IncomingKafkaRecordMetadata.class)
                .orElseThrow(() -> new IllegalStateException("prompt message without Kafka metadata"));
        Object key = meta.getKey();
        LOG.infof("dead-lettering %s/%d@%d: %s", meta.getTopic(), meta.getPartition(), meta.getOffset(), reason);
        channel.deadLetter(DeadLetterRecord.of(settings.promptsDlqTopic(), key == null ? null : key.toString(),
                        message.getPayload(), meta.getHeaders(), meta.getTopic(), meta.getPartition(), meta.getOffset(),
                        reason))
                .whenComplete((ok, error) -> {
                    if (error == null) {
                        message.ack();
                    } else {
                        message.nack(error);
                    }
                });
        return CompletableFuture.completedFuture(null);
    }
}
