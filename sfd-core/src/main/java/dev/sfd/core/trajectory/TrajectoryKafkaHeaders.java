package dev.sfd.core.trajectory;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.stream.Collectors;

/**
 * Kafka record headers of a trajectory segment: the metadata that standard Kafka tools
 * ({@code kafka-console-consumer --property print.headers=true}, kcat) can show without
 * understanding the binary value. All values are UTF-8 text. The record value (see
 * {@link TrajectorySegmentCodec}) is self-contained; these headers repeat its metadata for
 * people and tools, and consumers must trust the value, not the headers.
 *
 * <p>Every segment: {@value #SCHEMA_VERSION}, {@value #FORMAT}, {@value #TRAJECTORY_ID},
 * {@value #SEGMENT_INDEX}, {@value #SEGMENT_TOTAL}, {@value #STEP}, {@value #TIMESTAMP},
 * {@value #DTYPE}, {@value #SHAPE}. First segment only: {@value #STEPS}, {@value #SCHEDULE},
 * {@value #SEED}, {@value #PROMPT}, {@value #HEADER_JSON}.
 */
public final class TrajectoryKafkaHeaders {

    public static final String SCHEMA_VERSION = "sfd.schema.version";
    /** Constant {@value #FORMAT_VALUE}: what the record value is. */
    public static final String FORMAT = "sfd.format";
    public static final String FORMAT_VALUE = "sfd-trajectory-segment";
    public static final String TRAJECTORY_ID = "sfd.trajectory.id";
    public static final String SEGMENT_INDEX = "sfd.segment.index";
    public static final String SEGMENT_TOTAL = "sfd.segment.total";
    /** Student step n of the point (N for the first segment, 0 for the last). */
    public static final String STEP = "sfd.step";
    /** t_n, as Java's {@code Double.toString}. */
    public static final String TIMESTAMP = "sfd.t";
    /** "float32" or "float16". */
    public static final String DTYPE = "sfd.dtype";
    /** Dimensions joined by commas, e.g. "3,16,16". */
    public static final String SHAPE = "sfd.shape";
    /** N (first segment only). */
    public static final String STEPS = "sfd.steps";
    public static final String SCHEDULE = "sfd.schedule";
    public static final String SEED = "sfd.seed";
    public static final String PROMPT = "sfd.prompt";
    /** The {@link TrajectoryHeader} as JSON (first segment only). */
    public static final String HEADER_JSON = "sfd.header";

    private TrajectoryKafkaHeaders() {
    }

    /** The headers for {@code segment} encoded with {@code dtype}, in a stable order. */
    public static Map<String, String> of(TrajectorySegment segment, TensorDtype dtype) {
        Map<String, String> h = new LinkedHashMap<>();
        h.put(SCHEMA_VERSION, Integer.toString(TrajectorySegmentCodec.SCHEMA_VERSION));
        h.put(FORMAT, FORMAT_VALUE);
        h.put(TRAJECTORY_ID, segment.trajectoryId());
        h.put(SEGMENT_INDEX, Integer.toString(segment.segmentIndex()));
        h.put(SEGMENT_TOTAL, Integer.toString(segment.totalSegments()));
        h.put(STEP, Integer.toString(segment.step()));
        h.put(TIMESTAMP, Double.toString(segment.timestamp()));
        h.put(DTYPE, dtype.wireName());
        h.put(SHAPE, Arrays.stream(segment.tensor().shape()).mapToObj(Long::toString).collect(Collectors.joining(",")));
        TrajectoryHeader header = segment.header();
        if (header != null) {
            h.put(STEPS, Integer.toString(header.steps()));
            h.put(SCHEDULE, header.scheduleName());
            h.put(SEED, Long.toString(header.seed()));
            h.put(PROMPT, header.prompt());
            h.put(HEADER_JSON, TrajectoryHeaderJson.toJson(header));
        }
        return h;
    }

    /** The same headers as UTF-8 bytes, as Kafka's {@code Headers.add(String, byte[])} wants them. */
    public static Map<String, byte[]> asBytes(Map<String, String> headers) {
        Map<String, byte[]> out = new LinkedHashMap<>();
        headers.forEach((k, v) -> out.put(k, v.getBytes(StandardCharsets.UTF_8)));
        return out;
    }
}
