package dev.sfd.sampler;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.OptionalLong;

/** The {@code sfd.sampler.*} settings (README "Configuration" lists them with their defaults). */
@ConfigMapping(prefix = "sfd.sampler")
public interface SamplerConfig {

    /** The student name served: checkpoints {@code students/<student>/<version>/} and events keyed by it. */
    @WithDefault("mixture2d")
    String student();

    /** Serve exactly this version (until the Unpin RPC); unset = follow the newest checkpoint. */
    OptionalLong pinnedVersion();

    /** Most samples in one model call (1 = dynamic batching off). */
    @WithDefault("32")
    int maxBatch();

    /**
     * Longest a request waits for others to share its model call, and only while another model
     * call is in flight (unless {@link #delayAlways()}): a lone request never waits. A call at a
     * preferred batch size, or full, starts at once. 0 = greedy: a free worker runs at once with
     * whatever compatible requests are waiting.
     */
    @WithDefault("PT0.0003S")
    Duration maxQueueDelay();

    /**
     * Batch sizes (samples) that start a model call at once without waiting out the delay, ascending,
     * each at most max-batch (Triton's preferred_batch_size); unset = only max-batch.
     */
    Optional<List<Integer>> preferredBatchSizes();

    /**
     * Idle fast path: when nothing is queued and no model call runs, a request runs on the thread
     * it arrived on (the gRPC event loop) and its reply is written from there, with no hand-off.
     * Turn it off for students whose call takes tens of milliseconds, to keep the event loop free.
     */
    @WithDefault("true")
    boolean idleFastPath();

    /** Apply max-queue-delay to every call, also with nothing else in flight (Triton's own rule). */
    @WithDefault("false")
    boolean delayAlways();

    /** Most samples waiting; beyond it requests get RESOURCE_EXHAUSTED. */
    @WithDefault("256")
    int queueCapacity();

    /** Threads running model calls. */
    @WithDefault("1")
    int workers();

    /** Largest step count N (and NFE) a request may ask for. */
    @WithDefault("64")
    int maxSteps();

    /** Most samples in one request. */
    @WithDefault("64")
    int maxCount();

    /** Smallest guidance scale ω accepted. */
    @WithDefault("0")
    double minGuidance();

    /** Largest guidance scale ω accepted. */
    @WithDefault("20")
    double maxGuidance();

    /** How often the store is polled for a newer checkpoint (the fallback when an event is missed). */
    @WithDefault("30s")
    Duration pollInterval();

    /**
     * Playground: the teacher the student is compared with (a built-in name or an ONNX path); unset =
     * no comparison column. Its solver is {@code sfd.distill.solver}.
     */
    Optional<String> teacher();

    /**
     * The text-to-image pipeline (a diffusers ONNX folder or its {@code .teacher.json}) whose students this
     * sampler serves: its tokenizer, text encoder and VAE decoder are loaded once at start, and a text
     * student is served only if it was distilled from exactly this pipeline (same combined sha256).
     * Unset or empty: not a text sampler (a text student is refused).
     */
    Optional<String> pipeline();

    /** Text samplers: most prompt embeddings kept (least recently used dropped first). */
    @WithDefault("1024")
    int promptCacheSize();

    /** Playground: the teacher's high-NFE reference column. */
    @WithDefault("32")
    int teacherReferenceNfe();

    /** Playground: how often the live-model event stream checks for a change. */
    @WithDefault("500ms")
    Duration eventsInterval();
}
