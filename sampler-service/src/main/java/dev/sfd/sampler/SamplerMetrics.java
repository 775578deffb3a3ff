package dev.sfd.sampler;

import dev.sfd.pipeline.sampler.BatchObserver;
import dev.sfd.pipeline.sampler.DynamicBatcher;
import dev.sfd.pipeline.sampler.LiveModel;
import dev.sfd.pipeline.sampler.LiveModelListener;
import dev.sfd.pipeline.sampler.LoadedModel;
import dev.sfd.pipeline.sampler.Refusal;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.DistributionSummary;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import org.jboss.logging.Logger;

/**
 * The sampler's metrics (names in one place) and its reload log lines. Every meter is registered
 * once (request timers once per method and status, then looked up in a map), and the meters a
 * request touches publish a histogram only: Prometheus computes the quantiles
 * ({@code histogram_quantile}), so recording costs no percentile bookkeeping on the request path.
 */
public final class SamplerMetrics implements LiveModelListener, BatchObserver {

    /** Request latency, arrival to response, by gRPC method and status code. */
    public static final String REQUEST = "sfd.sampler.request";
    /** Time a request waited in the batch queue. */
    public static final String QUEUE = "sfd.sampler.queue";
    /** Time of one batched model call. */
    public static final String MODEL_CALL = "sfd.sampler.model.call";
    /** Samples per model call. */
    public static final String BATCH_SIZE = "sfd.sampler.batch.size";
    /** Requests per model call. */
    public static final String BATCH_REQUESTS = "sfd.sampler.batch.requests";
    /** The version serving now (0 = none). */
    public static final String MODEL_VERSION = "sfd.sampler.model.version";
    /** Reload attempts by result: ok, refused, failed. */
    public static final String RELOADS = "sfd.sampler.reloads";
    /** Fetch + verify + load + warm-up of a checkpoint that went live. */
    public static final String LOAD = "sfd.sampler.model.load";
    /** From the checkpoint event's timestamp to the new version serving. */
    public static final String EVENT_TO_SERVING = "sfd.sampler.event.to.serving";
    /** Samples waiting in the queue now. */
    public static final String QUEUED = "sfd.sampler.queue.samples";

    private static final Logger LOG = Logger.getLogger(SamplerMetrics.class);
    private static final double[] PERCENTILES = {0.5, 0.9, 0.99};

    private final MeterRegistry registry;
    private final java.util.concurrent.ConcurrentMap<String, Timer> requests = new java.util.concurrent.ConcurrentHashMap<>();
    private final Timer queue;
    private final Timer modelCall;
    private final DistributionSummary batchSize;
    private final DistributionSummary batchRequests;
    private final Timer load;
    private final Timer eventToServing;
    private final Counter reloadsOk;
    private final Counter reloadsRefused;
    private final Counter reloadsFailed;

    public SamplerMetrics(MeterRegistry registry) {
        this.registry = registry;
        this.queue = histogram(QUEUE, "Time a request waited in the batch queue");
        this.modelCall = histogram(MODEL_CALL, "Time of one batched model call");
        this.batchSize = DistributionSummary.builder(BATCH_SIZE).description("Samples per model call")
                .publishPercentileHistogram().register(registry);
        this.batchRequests = DistributionSummary.builder(BATCH_REQUESTS).description("Requests per model call")
                .register(registry);
        this.load = timer(LOAD, "Fetch, verify, load and warm up of a checkpoint that went live");
        this.eventToServing = timer(EVENT_TO_SERVING, "From a checkpoint event to its version serving");
        this.reloadsOk = reloads("ok");
        this.reloadsRefused = reloads("refused");
        this.reloadsFailed = reloads("failed");
    }

    /** Gauges that read the live model and the queue (both held by the runtime: gauges keep weak references). */
    public void watch(LiveModel live, DynamicBatcher batcher) {
        Gauge.builder(MODEL_VERSION, live, l -> l.current().map(LoadedModel::version).orElse(0L))
                .description("Checkpoint version serving now (0 = none)").register(registry);
        Gauge.builder(QUEUED, batcher, DynamicBatcher::queuedSamples).description("Samples waiting in the batch queue")
                .register(registry);
    }

    private Timer timer(String name, String description) {
        return Timer.builder(name).description(description).publishPercentiles(PERCENTILES)
                .publishPercentileHistogram().register(registry);
    }

    /** A timer for the request path: histogram buckets only. */
    private Timer histogram(String name, String description) {
        return Timer.builder(name).description(description).publishPercentileHistogram().register(registry);
    }

    private Counter reloads(String result) {
        return Counter.builder(RELOADS).tag("result", result).description("Checkpoint reload attempts")
                .register(registry);
    }

    /** One finished request. */
    public void request(String method, String status, long nanos) {
        requests.computeIfAbsent(method + ' ' + status, k -> Timer.builder(REQUEST).tag("method", method)
                        .tag("status", status).description("gRPC request latency, arrival to response")
                        .publishPercentileHistogram().register(registry))
                .record(nanos, TimeUnit.NANOSECONDS);
    }

    public void queued(long nanos) {
        queue.record(nanos, TimeUnit.NANOSECONDS);
    }

    public void eventToServing(Duration d) {
        eventToServing.record(d);
    }

    @Override
    public void batch(int requests, int samples, long modelNanos) {
        batchSize.record(samples);
        batchRequests.record(requests);
        modelCall.record(modelNanos, TimeUnit.NANOSECONDS);
    }

    @Override
    public void loaded(LoadedModel model, Duration loadTime) {
        reloadsOk.increment();
        load.record(loadTime);
        LOG.infof("serving %s v%d (sha256 %s), loaded and warmed up in %d ms", model.manifest().student(),
                model.version(), model.manifest().sha256(), loadTime.toMillis());
    }

    @Override
    public void refused(Refusal refusal) {
        reloadsRefused.increment();
        LOG.warnf("refused checkpoint v%d (the current model keeps serving): %s", refusal.version(), refusal.reason());
    }

    @Override
    public void refusedBefore(long version, String sha256, boolean retried, String reason) {
        LOG.infof("checkpoint v%d, sha256 %s: %s", version, sha256, reason);
    }

    @Override
    public void failed(long version, String reason) {
        reloadsFailed.increment();
        LOG.warnf("could not try checkpoint v%d (will retry on the next poll): %s", version, reason);
    }
}
