package dev.sfd.sampler;

import dev.sfd.core.onnx.ExecutionProvider;
import dev.sfd.core.onnx.SessionConfig;
import dev.sfd.core.store.CheckpointStore;
import dev.sfd.pipeline.sampler.BatcherSettings;
import dev.sfd.pipeline.sampler.DynamicBatcher;
import dev.sfd.pipeline.sampler.LiveModel;
import dev.sfd.pipeline.sampler.ReloadOutcome;
import dev.sfd.pipeline.sampler.RequestValidator;
import dev.sfd.pipeline.sampler.SamplerLimits;
import dev.sfd.pipeline.sampler.TextPipeline;
import dev.sfd.service.ObjectStoreConfig;
import dev.sfd.api.v1.SamplerGrpc;
import dev.sfd.pipeline.sampler.LiveModelListener;
import dev.sfd.pipeline.sampler.LoadedModel;
import dev.sfd.pipeline.sampler.Refusal;
import grpc.health.v1.HealthOuterClass.HealthCheckResponse.ServingStatus;
import io.micrometer.core.instrument.MeterRegistry;
import io.quarkus.grpc.runtime.health.GrpcHealthStorage;
import java.time.Duration;
import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.runtime.StartupEvent;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import java.security.SecureRandom;
import java.time.Clock;
import java.util.List;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.jboss.logging.Logger;

/**
 * Wires the stage logic: the checkpoint store, the {@link LiveModel} (newest complete checkpoint
 * at start, or the pinned version), the {@link DynamicBatcher} and the store poller. Closed in
 * reverse order at shutdown.
 */
@ApplicationScoped
public class SamplerRuntime {

    private static final Logger LOG = Logger.getLogger(SamplerRuntime.class);

    private final SamplerConfig config;
    private final ObjectStoreConfig storeConfig;
    private final SamplerMetrics metrics;
    private final SessionConfig session;
    private final GrpcHealthStorage health;
    private final ReloadLog reloads = new ReloadLog(20, Clock.systemUTC());
    private CheckpointStore store;
    private LiveModel live;
    private DynamicBatcher batcher;
    private RequestValidator validator;
    private TextPipeline text;
    private List<String> captionExamples = List.of();
    private ScheduledExecutorService poller;

    public SamplerRuntime(SamplerConfig config, ObjectStoreConfig storeConfig, MeterRegistry registry,
                          GrpcHealthStorage health,
                          @ConfigProperty(name = "sfd.execution-provider", defaultValue = "cpu") String provider,
                          @ConfigProperty(name = "sfd.threads", defaultValue = "1") int threads) {
        this.config = config;
        this.storeConfig = storeConfig;
        this.metrics = new SamplerMetrics(registry);
        this.health = health;
        this.session = new SessionConfig(ExecutionProvider.parse(provider), threads, 0);
    }

    void start(@Observes StartupEvent event) {
        store = new CheckpointStore(storeConfig.settings(), storeConfig.retry());
        health.setStatus(SamplerGrpc.SERVICE_NAME, ServingStatus.NOT_SERVING);
        String pipeline = config.pipeline().map(String::strip).orElse("");
        if (!pipeline.isEmpty()) {
            long t0 = System.nanoTime();
            text = TextPipeline.open(pipeline, session, config.promptCacheSize(), config.maxBatch());
            long perPrompt = java.util.Arrays.stream(text.embeddingShape()).reduce(Float.BYTES, (a, b) -> a * b);
            LOG.infof("text-to-image pipeline '%s' (sha256 %s) loaded from %s in %d ms: tokenizer (%d tokens), text "
                    + "encoder (embeddings %s, %d bytes each), VAE decoder (images %s); prompt cache %d embeddings "
                    + "(up to %.2f MB)", text.id(), text.sha256(), pipeline, (System.nanoTime() - t0) / 1_000_000,
                    text.maxTokens(), java.util.Arrays.toString(text.embeddingShape()), perPrompt,
                    java.util.Arrays.toString(text.imageShape()), config.promptCacheSize(),
                    perPrompt * (double) config.promptCacheSize() / 1e6);
        }
        live = new LiveModel(store, config.student(), session, config.maxBatch(), listener(), Clock.systemUTC(), text);
        if (text != null) {
            captionExamples = text.captionExamples(4);
        }
        int capacity = Math.max(config.queueCapacity(), config.maxCount());
        int[] preferred = config.preferredBatchSizes().orElse(List.of()).stream().mapToInt(Integer::intValue).toArray();
        batcher = new DynamicBatcher(live, new BatcherSettings(config.maxBatch(), config.maxQueueDelay(), capacity,
                config.workers(), preferred, config.idleFastPath(), config.delayAlways()), metrics);
        SecureRandom seeds = new SecureRandom();
        validator = new RequestValidator(new SamplerLimits(config.maxSteps(), config.maxCount(), config.minGuidance(),
                config.maxGuidance()), () -> seeds.nextLong() & Long.MAX_VALUE, text);
        metrics.watch(live, batcher);
        poller = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "sfd-sampler-poll");
            t.setDaemon(true);
            return t;
        });
        poller.execute(this::initialLoad);
        long every = Math.max(1, config.pollInterval().toMillis());
        poller.scheduleWithFixedDelay(this::poll, every, every, TimeUnit.MILLISECONDS);
        LOG.infof("sampler serves student '%s' (%s); polling the store every %s", config.student(),
                config.pinnedVersion().isPresent() ? "pinned to v" + config.pinnedVersion().getAsLong() : "newest",
                config.pollInterval());
    }

    /** Metrics and logs, plus grpc.health.v1: sfd.v1.Sampler is SERVING from the first loaded model on. */
    private LiveModelListener listener() {
        return new LiveModelListener() {
            @Override
            public void loaded(LoadedModel model, Duration loadTime) {
                metrics.loaded(model, loadTime);
                reloads.ok(model.version(), loadTime.toMillis());
                health.setStatus(SamplerGrpc.SERVICE_NAME, ServingStatus.SERVING);
            }

            @Override
            public void refused(Refusal refusal) {
                metrics.refused(refusal);
                reloads.refused(refusal.version(), refusal.reason());
            }

            @Override
            public void refusedBefore(long version, String sha256, boolean retried, String reason) {
                metrics.refusedBefore(version, sha256, retried, reason);
            }

            @Override
            public void failed(long version, String reason) {
                metrics.failed(version, reason);
                reloads.failed(version, reason);
            }
        };
    }

    private void initialLoad() {
        try {
            if (config.pinnedVersion().isPresent()) {
                live.pin(config.pinnedVersion().getAsLong());
            } else {
                ReloadOutcome o = live.refresh();
                if (!live.ready()) {
                    LOG.warnf("no model of '%s' to serve yet (%s); waiting for a checkpoint event or the next poll",
                            config.student(), o.reason());
                }
            }
        } catch (RuntimeException e) {
            LOG.errorf("cannot load the first model: %s; retrying on the next poll", e.getMessage());
        }
    }

    private void poll() {
        try {
            live.refresh();
        } catch (RuntimeException e) {
            LOG.warnf("poll of the checkpoint store failed: %s", e.getMessage());
        }
    }

    void stop(@Observes ShutdownEvent event) {
        if (poller != null) {
            poller.shutdownNow();
        }
        if (batcher != null) {
            batcher.close();
        }
        if (live != null) {
            live.close();
        }
        if (text != null) {
            text.close();
        }
        if (store != null) {
            try {
                store.close();
            } catch (Exception e) {
                LOG.warnf("closing the checkpoint store client: %s", e.getMessage());
            }
        }
    }

    public LiveModel live() {
        return live;
    }

    public DynamicBatcher batcher() {
        return batcher;
    }

    public RequestValidator validator() {
        return validator;
    }

    public SamplerMetrics metrics() {
        return metrics;
    }

    /** The last reload attempts, for the playground page. */
    public ReloadLog reloads() {
        return reloads;
    }

    public SamplerConfig config() {
        return config;
    }

    /** Text samplers: a few captions of the pipeline's captions.json (the playground's examples), else none. */
    public List<String> captionExamples() {
        return captionExamples;
    }
}
