package dev.sfd.sampler;

import dev.sfd.api.v1.GenerateRequest;
import dev.sfd.api.v1.GenerateResponse;
import dev.sfd.api.v1.GenerateStreamResponse;
import dev.sfd.api.v1.ModelInfoRequest;
import dev.sfd.api.v1.ModelInfoResponse;
import dev.sfd.api.v1.SamplerGrpc;
import dev.sfd.pipeline.sampler.GenerateInput;
import dev.sfd.pipeline.sampler.LoadedModel;
import dev.sfd.pipeline.sampler.SampleBatch;
import dev.sfd.pipeline.sampler.SampleRequest;
import dev.sfd.pipeline.sampler.SamplerException;
import dev.sfd.pipeline.sampler.Submission;
import io.grpc.Context;
import io.grpc.Deadline;
import io.grpc.Status;
import io.grpc.stub.ServerCallStreamObserver;
import io.grpc.stub.StreamObserver;
import io.quarkus.grpc.GrpcService;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Executor;
import java.util.concurrent.ForkJoinPool;
import java.util.concurrent.TimeUnit;
import java.util.function.BiConsumer;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * sfd.v1.Sampler over the stage logic: check the request against the serving student, hand it to
 * the dynamic batcher with the caller's deadline, answer when its samples are ready.
 *
 * <p>Threads: on an idle server the batcher runs the request on the event loop it arrived on, as
 * one task posted there, so a burst of requests read together shares one model call; the replies
 * are encoded and written from that same thread (no hand-off). Under load a batcher worker runs
 * the model, and each reply is encoded and written back on its call's own event loop, so the
 * model thread only runs the model.
 */
@GrpcService
public class SamplerGrpcService extends SamplerGrpc.SamplerImplBase {

    private static final AtomicBoolean THREADS_LOGGED = new AtomicBoolean();

    private final SamplerRuntime runtime;

    public SamplerGrpcService(SamplerRuntime runtime) {
        this.runtime = runtime;
    }

    @Override
    public void generate(GenerateRequest request, StreamObserver<GenerateResponse> response) {
        long arrived = System.nanoTime();
        Call<GenerateResponse> call = new Call<>("Generate", response, arrived);
        try {
            SampleRequest checked = check(request);
            boolean raw = request.getOutput() == dev.sfd.api.v1.OutputFormat.OUTPUT_FORMAT_RAW;
            io.vertx.core.Context context = io.vertx.core.Vertx.currentContext();
            Executor replies = replyExecutor(context);
            Submission s = runtime.batcher().submit(checked, deadline(), postTo(context));
            call.onCancel(s::cancel);
            whenDone(s, replies, (batch, error) -> {
                if (error != null) {
                    call.fail(error);
                    return;
                }
                runtime.metrics().queued(batch.queueNanos());
                GenerateResponse.Builder b = GenerateResponse.newBuilder();
                for (int i = 0; i < batch.seeds().length; i++) {
                    b.addSamples(SampleEncoder.sample(batch, i, i, raw));
                }
                b.setModel(SampleEncoder.model(batch.model())).setSteps(batch.request().steps()).setNfe(batch.nfe())
                        .setTrained(!batch.untrained()).setWarning(batch.warning())
                        .setGuidance(batch.request().omega()).setLabel(batch.request().label())
                        .setPromptTruncated(batch.request().promptTruncated())
                        .setTimings(SampleEncoder.timings(batch, System.nanoTime() - arrived));
                for (double t : batch.timestamps()) {
                    b.addTimestamps(t);
                }
                call.send(b.build());
                call.complete();
            });
        } catch (RuntimeException e) {
            call.fail(e);
        }
    }

    @Override
    public void generateStream(GenerateRequest request, StreamObserver<GenerateStreamResponse> response) {
        long arrived = System.nanoTime();
        Call<GenerateStreamResponse> call = new Call<>("GenerateStream", response, arrived);
        try {
            SampleRequest checked = check(request);
            boolean raw = request.getOutput() == dev.sfd.api.v1.OutputFormat.OUTPUT_FORMAT_RAW;
            io.vertx.core.Context context = io.vertx.core.Vertx.currentContext();
            Executor replies = replyExecutor(context);
            List<SampleRequest> singles = new ArrayList<>();
            for (int i = 0; i < checked.count(); i++) {
                singles.add(checked.single(i));
            }
            List<Submission> subs = runtime.batcher().submitAll(singles, deadline(), postTo(context));
            call.onCancel(() -> subs.forEach(Submission::cancel));
            AtomicInteger left = new AtomicInteger(subs.size());
            for (int i = 0; i < subs.size(); i++) {
                int index = i;
                whenDone(subs.get(i), replies, (batch, error) -> {
                    if (error != null) {
                        subs.forEach(Submission::cancel);
                        call.fail(error);
                        return;
                    }
                    runtime.metrics().queued(batch.queueNanos());
                    GenerateStreamResponse.Builder b = GenerateStreamResponse.newBuilder()
                            .setSample(SampleEncoder.sample(batch, 0, index, raw)).setModel(SampleEncoder.model(batch.model()))
                            .setSteps(batch.request().steps()).setNfe(batch.nfe()).setTrained(!batch.untrained())
                            .setWarning(batch.warning()).setGuidance(batch.request().omega())
                            .setLabel(batch.request().label())
                            .setPromptTruncated(batch.request().promptTruncated())
                            .setTimings(SampleEncoder.timings(batch, System.nanoTime() - arrived));
                    for (double t : batch.timestamps()) {
                        b.addTimestamps(t);
                    }
                    call.send(b.build());
                    if (left.decrementAndGet() == 0) {
                        call.complete();
                    }
                });
            }
        } catch (RuntimeException e) {
            call.fail(e);
        }
    }

    @Override
    public void modelInfo(ModelInfoRequest request, StreamObserver<ModelInfoResponse> response) {
        Call<ModelInfoResponse> call = new Call<>("ModelInfo", response, System.nanoTime());
        if (!runtime.live().ready()) {
            call.fail(new SamplerException(SamplerException.Kind.UNAVAILABLE, null, "no '"
                    + runtime.config().student() + "' model is loaded yet; retry shortly"));
            return;
        }
        call.send(SampleEncoder.info(runtime.live()));
        call.complete();
    }

    /** The request checked against the serving student (also used by the playground's HTTP API). */
    SampleRequest check(GenerateRequest r) {
        LoadedModel model = runtime.live().current().orElseThrow(() -> new SamplerException(
                SamplerException.Kind.UNAVAILABLE, null, "no '" + runtime.config().student()
                + "' model is loaded yet (waiting for a complete checkpoint); retry shortly"));
        GenerateInput in = new GenerateInput(r.hasPrompt() ? r.getPrompt() : null, r.hasLabel() ? r.getLabel() : null,
                r.hasSteps() ? r.getSteps() : null, r.hasNfe() ? r.getNfe() : null,
                r.hasGuidance() ? r.getGuidance() : null, r.getSeedsList().stream().mapToLong(Long::longValue).toArray(),
                r.hasSeed() ? r.getSeed() : null, r.getCount(), switch (r.getOutput()) {
                    case OUTPUT_FORMAT_TENSOR, OUTPUT_FORMAT_RAW -> GenerateInput.OutputKind.TENSOR;
                    case OUTPUT_FORMAT_PNG -> GenerateInput.OutputKind.PNG;
                    case OUTPUT_FORMAT_LATENT -> GenerateInput.OutputKind.LATENT;
                    case OUTPUT_FORMAT_UNSPECIFIED -> GenerateInput.OutputKind.DEFAULT;
                    default -> throw SamplerException.invalid("output", "unknown output format " + r.getOutputValue()
                            + "; use OUTPUT_FORMAT_TENSOR, OUTPUT_FORMAT_RAW, OUTPUT_FORMAT_PNG or (text-to-image "
                            + "students) OUTPUT_FORMAT_LATENT");
                });
        return runtime.validator().validate(in, model.metadata(), model.takesText());
    }

    /**
     * Where a reply is encoded and written when its samples come from a batcher worker: the call's
     * own Vert.x context (its event loop, where gRPC writes anyway), or a pool when there is none.
     */
    private static Executor replyExecutor(io.vertx.core.Context context) {
        if (context == null) {
            return ForkJoinPool.commonPool();
        }
        return r -> {
            if (io.vertx.core.Vertx.currentContext() == context) {
                r.run(); // the fast path's drain ran on this very loop: write at once
            } else {
                context.runOnContext(v -> r.run());
            }
        };
    }

    /** The call's event loop as the batcher's fast-path executor (null: run inline on this thread). */
    private static Executor postTo(io.vertx.core.Context context) {
        if (THREADS_LOGGED.compareAndSet(false, true)) {
            org.jboss.logging.Logger.getLogger(SamplerGrpcService.class).infof("gRPC calls arrive on %s (%s): the "
                    + "idle fast path %s", Thread.currentThread().getName(), context == null ? "no Vert.x context"
                    : "a Vert.x context", context == null ? "runs inline" : "is posted to that event loop");
        }
        return context == null ? null : r -> context.runOnContext(v -> r.run());
    }

    /**
     * Runs {@code handler} with the result: at once, on this thread, when the batcher already ran
     * the request here (the idle fast path); else on {@code replies}, off the model thread.
     */
    private static void whenDone(Submission s, Executor replies, BiConsumer<SampleBatch, Throwable> handler) {
        if (s.result().isDone()) {
            s.result().whenComplete(handler);
        } else {
            s.result().whenCompleteAsync(handler, replies);
        }
    }

    /** The caller's deadline as a {@link System#nanoTime()} instant, or {@link Long#MAX_VALUE}. */
    private static long deadline() {
        Deadline d = Context.current().getDeadline();
        return d == null ? Long.MAX_VALUE : System.nanoTime() + d.timeRemaining(TimeUnit.NANOSECONDS);
    }

    /** One call's responses: sends are serialised, the first completion or failure wins, latency recorded once. */
    private final class Call<T> {

        private final String method;
        private final StreamObserver<T> observer;
        private final long arrived;
        private final AtomicBoolean done = new AtomicBoolean();

        Call(String method, StreamObserver<T> observer, long arrived) {
            this.method = method;
            this.observer = observer;
            this.arrived = arrived;
        }

        void onCancel(Runnable r) {
            if (observer instanceof ServerCallStreamObserver<T> s) {
                s.setOnCancelHandler(r);
            }
        }

        private boolean cancelled() {
            return observer instanceof ServerCallStreamObserver<T> s && s.isCancelled();
        }

        synchronized void send(T message) {
            if (!done.get() && !cancelled()) {
                observer.onNext(message);
            }
        }

        synchronized void complete() {
            if (done.compareAndSet(false, true)) {
                runtime.metrics().request(method, Status.Code.OK.name(), System.nanoTime() - arrived);
                if (!cancelled()) {
                    observer.onCompleted();
                }
            }
        }

        synchronized void fail(Throwable error) {
            if (done.compareAndSet(false, true)) {
                io.grpc.StatusRuntimeException s = GrpcErrors.toStatus(error);
                runtime.metrics().request(method, s.getStatus().getCode().name(), System.nanoTime() - arrived);
                if (!cancelled()) {
                    observer.onError(s);
                }
            }
        }
    }
}
