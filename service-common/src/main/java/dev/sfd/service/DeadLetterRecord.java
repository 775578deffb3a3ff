package dev.sfd.service;

import dev.sfd.contract.DeadLetterHeaders;
import java.nio.charset.StandardCharsets;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.header.Header;

/**
 * The one way a service builds a dead letter (README "Contracts"): the refused record's key, value
 * and headers, unchanged, plus {@link DeadLetterHeaders#REASON} and {@link DeadLetterHeaders#SOURCE}.
 */
public final class DeadLetterRecord {

    private DeadLetterRecord() {
    }

    /**
     * @param dlqTopic  where the dead letter goes
     * @param headers   the original record's headers (may be null)
     * @param reason    what is wrong and what to do about it
     */
    public static ProducerRecord<String, byte[]> of(String dlqTopic, String key, byte[] value, Iterable<Header> headers,
                                                    String sourceTopic, int partition, long offset, String reason) {
        ProducerRecord<String, byte[]> out = new ProducerRecord<>(dlqTopic, key, value);
        if (headers != null) {
            headers.forEach(h -> out.headers().add(h));
        }
        out.headers().add(DeadLetterHeaders.REASON, reason.getBytes(StandardCharsets.UTF_8));
        out.headers().add(DeadLetterHeaders.SOURCE,
                DeadLetterHeaders.source(sourceTopic, partition, offset).getBytes(StandardCharsets.UTF_8));
        return out;
    }
}
