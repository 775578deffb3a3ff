package dev.sfd.core.trajectory;

import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Kafka record headers of a trajectory block: only what routing and people with standard tools
 * ({@code kcat -J}, {@code kafka-console-consumer --property print.headers=true}) need to tell
 * records apart without decoding the value. All values are UTF-8 text, and consumers trust the
 * value, never these: {@value #FORMAT} = {@value #FORMAT_VALUE}, {@value #SCHEMA_VERSION},
 * {@value #PROMPT_ID}, {@value #ROWS}, {@value #STEPS}, and {@value #PROMPT_TRUNCATED} when it applies.
 */
public final class TrajectoryKafkaHeaders {

    public static final String FORMAT = "sfd.format";
    public static final String FORMAT_VALUE = "sfd-trajectory-block";
    public static final String SCHEMA_VERSION = "sfd.schema.version";
    public static final String PROMPT_ID = "sfd.prompt.id";
    /** B, the trajectories in the block. */
    public static final String ROWS = "sfd.rows";
    /** N. */
    public static final String STEPS = "sfd.steps";
    /**
     * {@code "true"} on the blocks of a text-to-image prompt that had more tokens than the tokenizer's max
     * length and was truncated for the text encoder; absent otherwise.
     */
    public static final String PROMPT_TRUNCATED = "sfd.prompt-truncated";

    private TrajectoryKafkaHeaders() {
    }

    /** The headers of {@code block}, in a stable order, as Kafka's {@code Headers.add(String, byte[])} wants them. */
    public static Map<String, byte[]> of(TrajectoryBlock block) {
        Map<String, byte[]> h = new LinkedHashMap<>();
        h.put(FORMAT, utf8(FORMAT_VALUE));
        h.put(SCHEMA_VERSION, utf8(Integer.toString(TrajectoryBlockCodec.SCHEMA_VERSION)));
        h.put(PROMPT_ID, utf8(block.promptId()));
        h.put(ROWS, utf8(Integer.toString(block.rows())));
        h.put(STEPS, utf8(Integer.toString(block.steps())));
        return h;
    }

    private static byte[] utf8(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }
}
