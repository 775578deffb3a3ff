package dev.sfd.sampler;

import dev.sfd.core.store.CheckpointManifest;
import dev.sfd.pipeline.sampler.ReloadOutcome;
import io.smallrye.common.annotation.Blocking;
import jakarta.enterprise.context.ApplicationScoped;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.eclipse.microprofile.reactive.messaging.Incoming;
import org.jboss.logging.Logger;

/**
 * Hot reload on {@code sfd.checkpoints} events. Every replica reads all events, without a consumer
 * group: the topic's partition is assigned and seeked to its end (the newest checkpoint at start
 * comes from the store), and nothing is committed, so a start leaves no group behind.
 */
@ApplicationScoped
public class CheckpointEvents {

    private static final Logger LOG = Logger.getLogger(CheckpointEvents.class);

    private final SamplerRuntime runtime;

    public CheckpointEvents(SamplerRuntime runtime) {
        this.runtime = runtime;
    }

    @Incoming("checkpoints")
    @Blocking
    public void onEvent(ConsumerRecord<String, byte[]> record) {
        CheckpointManifest event;
        try {
            event = CheckpointManifest.fromJson(new String(record.value(), StandardCharsets.UTF_8));
        } catch (RuntimeException e) {
            LOG.warnf("ignoring a checkpoint event at %s/%d@%d that is not a manifest: %s", record.topic(),
                    record.partition(), record.offset(), e.getMessage());
            return;
        }
        ReloadOutcome outcome = runtime.live().offer(event);
        if (outcome.result() == ReloadOutcome.Result.LOADED) {
            Duration sinceEvent = Duration.between(Instant.ofEpochMilli(record.timestamp()), Instant.now());
            runtime.metrics().eventToServing(sinceEvent);
            LOG.infof("%s v%d serving %d ms after its event", event.student(), event.version(), sinceEvent.toMillis());
        } else {
            LOG.debugf("checkpoint event %s v%d: %s (%s)", event.student(), event.version(), outcome.result(),
                    outcome.reason());
        }
    }
}
