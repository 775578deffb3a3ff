package dev.sfd.sampler;

import dev.sfd.api.v1.GenerateRequest;
import dev.sfd.api.v1.GenerateResponse;
import dev.sfd.core.distill.StudentMetadata;
import dev.sfd.core.onnx.ExecutionProvider;
import dev.sfd.core.onnx.SessionConfig;
import dev.sfd.pipeline.sampler.LoadedModel;
import dev.sfd.pipeline.sampler.RequestValidator;
import dev.sfd.pipeline.sampler.SampleRequest;
import dev.sfd.pipeline.sampler.SamplerException;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.grpc.stub.StreamObserver;
import io.quarkus.runtime.ShutdownEvent;
import io.vertx.core.http.HttpServerResponse;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import io.vertx.ext.web.handler.BodyHandler;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import org.eclipse.microprofile.config.inject.ConfigProperty;

/**
 * The playground's HTTP API (the page itself is static, in META-INF/resources). Generation goes
 * through the gRPC service's own code ({@link SamplerGrpcService#generate}: the same validator,
 * batcher and live model), called in process; errors carry the gRPC status name and message.
 *
 * <ul>
 *   <li>{@code GET /api/v1/playground}: data set, vocabulary, limits, teacher comparison, live model</li>
 *   <li>{@code GET /api/v1/model}: the live model; {@code GET /api/v1/model/events}: the same as
 *       server-sent events, one {@code model} event whenever it changes</li>
 *   <li>{@code POST /api/v1/generate}: a GenerateRequest as JSON → GenerateResponse as JSON</li>
 *   <li>{@code POST /api/v1/teacher}: the same request → the teacher's solver at the student's NFE
 *       and at the reference NFE, for the same seeds</li>
 * </ul>
 */
@ApplicationScoped
public class PlaygroundRoutes {

    static final String API = "/api/v1";

    private final SamplerRuntime runtime;
    private final SamplerGrpcService grpc;
    private final TeacherComparison teacher;
    private final ThreadPoolExecutor teacherThread;
    private final Duration eventsCheck;

    public PlaygroundRoutes(SamplerRuntime runtime,
                            @ConfigProperty(name = "sfd.distill.solver", defaultValue = "dpm++2m") String solver,
                            @ConfigProperty(name = "sfd.execution-provider", defaultValue = "cpu") String provider,
                            @ConfigProperty(name = "sfd.threads", defaultValue = "1") int threads) {
        this.runtime = runtime;
        this.grpc = new SamplerGrpcService(runtime); // the gRPC service's code path, called in process
        this.teacher = new TeacherComparison(runtime.config().teacher(), solver, runtime.config().teacherReferenceNfe(),
                new SessionConfig(ExecutionProvider.parse(provider), threads, 0));
        // one comparison at a time, one waiting: it is for people looking at a page, not for load
        this.teacherThread = new ThreadPoolExecutor(1, 1, 0, TimeUnit.MILLISECONDS, new ArrayBlockingQueue<>(1), r -> {
            Thread t = new Thread(r, "sfd-playground-teacher");
            t.setDaemon(true);
            return t;
        });
        this.eventsCheck = runtime.config().eventsInterval();
    }

    void routes(@Observes Router router) {
        router.get(API + "/playground").handler(this::playground);
        router.get(API + "/model").handler(ctx -> json(ctx.response(), 200, PlaygroundJson.model(runtime)));
        router.get(API + "/model/events").handler(this::events);
        router.post(API + "/generate").handler(BodyHandler.create().setBodyLimit(64 * 1024)).handler(this::generate);
        router.post(API + "/teacher").handler(BodyHandler.create().setBodyLimit(64 * 1024)).handler(this::teacher);
    }

    private void playground(RoutingContext ctx) {
        Map<String, Object> m = new LinkedHashMap<>();
        Optional<LoadedModel> current = runtime.live() == null ? Optional.empty() : runtime.live().current();
        SamplerConfig c = runtime.config();
        m.put("limits", Map.of("maxSteps", c.maxSteps(), "maxCount", c.maxCount(), "minGuidance", c.minGuidance(),
                "maxGuidance", c.maxGuidance()));
        current.ifPresent(model -> {
            StudentMetadata meta = model.metadata();
            if (model.takesText() && runtime.live().text().isPresent()) {
                m.put("vocabulary", Vocabulary.ofText(runtime.live().text().get(), runtime.captionExamples()));
            } else {
                m.put("vocabulary", Vocabulary.of(meta.dataset(), meta.classes()));
            }
        });
        Map<String, Object> t = new LinkedHashMap<>();
        t.put("configured", teacher.configured());
        teacher.spec().ifPresent(s -> t.put("spec", s));
        t.put("solver", teacher.solver());
        t.put("referenceNfe", teacher.referenceNfe());
        m.put("teacher", t);
        m.put("model", PlaygroundJson.model(runtime));
        if (current.isPresent() && teacher.configured()) {
            // loading the teacher reads a file: not on the event loop
            ctx.vertx().<Optional<String>>executeBlocking(() -> teacher.unavailableFor(current.get().metadata()))
                    .onComplete(r -> {
                        Optional<String> why = r.succeeded() ? r.result() : Optional.of(String.valueOf(r.cause()));
                        why.ifPresent(w -> t.put("unavailable", w));
                        json(ctx.response(), 200, m);
                    });
            return;
        }
        if (!teacher.configured()) {
            t.put("unavailable", "no teacher is configured (sfd.sampler.teacher)");
        }
        json(ctx.response(), 200, m);
    }

    /** Server-sent events: the live model now, then again whenever it changes; a comment every 15 s keeps proxies open. */
    private void events(RoutingContext ctx) {
        HttpServerResponse r = ctx.response();
        r.setChunked(true).putHeader("Content-Type", "text/event-stream; charset=utf-8")
                .putHeader("Cache-Control", "no-cache").putHeader("X-Accel-Buffering", "no");
        String[] last = {PlaygroundJson.write(PlaygroundJson.model(runtime))};
        r.write("retry: 2000\nevent: model\ndata: " + last[0] + "\n\n");
        long every = Math.max(50, eventsCheck.toMillis());
        long keepAlive = Math.max(1, 15_000 / every);
        long[] ticks = {0};
        long timer = ctx.vertx().setPeriodic(every, id -> {
            if (r.closed() || r.ended()) {
                ctx.vertx().cancelTimer(id);
                return;
            }
            String now = PlaygroundJson.write(PlaygroundJson.model(runtime));
            if (!now.equals(last[0])) {
                last[0] = now;
                r.write("event: model\ndata: " + now + "\n\n");
            } else if (++ticks[0] % keepAlive == 0) {
                r.write(": keep-alive\n\n");
            }
        });
        r.closeHandler(v -> ctx.vertx().cancelTimer(timer));
    }

    private void generate(RoutingContext ctx) {
        GenerateRequest request;
        try {
            request = PlaygroundJson.request(ctx.body().asString());
        } catch (RuntimeException e) {
            fail(ctx.response(), e);
            return;
        }
        grpc.generate(request, new StreamObserver<>() {
            private GenerateResponse response;

            @Override
            public void onNext(GenerateResponse value) {
                response = value;
            }

            @Override
            public void onError(Throwable t) {
                fail(ctx.response(), t);
            }

            @Override
            public void onCompleted() {
                text(ctx.response(), 200, PlaygroundJson.response(response));
            }
        });
    }

    private void teacher(RoutingContext ctx) {
        SampleRequest checked;
        StudentMetadata meta;
        try {
            GenerateRequest request = PlaygroundJson.request(ctx.body().asString());
            checked = grpc.check(request); // the same checks and messages as Generate
            meta = runtime.live().current().orElseThrow(() -> new SamplerException(SamplerException.Kind.UNAVAILABLE,
                    null, "no model is loaded yet; retry shortly")).metadata();
        } catch (RuntimeException e) {
            fail(ctx.response(), e);
            return;
        }
        try {
            teacherThread.execute(() -> {
                try {
                    List<TeacherComparison.Column> columns = teacher.compare(checked, meta);
                    boolean png = RequestValidator.isImage(meta.sampleShape()) && checked.png();
                    List<Object> out = new ArrayList<>();
                    for (TeacherComparison.Column c : columns) {
                        Map<String, Object> o = new LinkedHashMap<>();
                        o.put("solver", c.solver());
                        o.put("nfe", c.nfe());
                        o.put("steps", c.steps());
                        o.put("millis", c.millis());
                        o.put("note", c.note());
                        o.put("samples", c.samples() == null ? List.of()
                                : PlaygroundJson.samples(c.samples(), checked.seeds(), png));
                        out.add(o);
                    }
                    Map<String, Object> m = new LinkedHashMap<>();
                    teacher.info().ifPresent(i -> {
                        m.put("teacher", i.id());
                        m.put("sha256", i.sha256());
                    });
                    m.put("guidance", checked.omega());
                    m.put("label", checked.label());
                    m.put("columns", out);
                    json(ctx.response(), 200, m);
                } catch (RuntimeException e) {
                    fail(ctx.response(), e);
                }
            });
        } catch (RejectedExecutionException e) {
            fail(ctx.response(), new SamplerException(SamplerException.Kind.RESOURCE_EXHAUSTED, null,
                    "the teacher is busy with other comparisons; retry in a few seconds"));
        }
    }

    private static void fail(HttpServerResponse r, Throwable error) {
        StatusRuntimeException s = GrpcErrors.toStatus(error);
        Status.Code code = s.getStatus().getCode();
        json(r, httpStatus(code), PlaygroundJson.error(code.name(), s.getStatus().getDescription()));
    }

    static int httpStatus(Status.Code code) {
        return switch (code) {
            case INVALID_ARGUMENT -> 400;
            case NOT_FOUND -> 404;
            case FAILED_PRECONDITION -> 409;
            case RESOURCE_EXHAUSTED -> 429;
            case CANCELLED -> 499;
            case UNAVAILABLE -> 503;
            case DEADLINE_EXCEEDED -> 504;
            default -> 500;
        };
    }

    private static void json(HttpServerResponse r, int status, Object body) {
        text(r, status, PlaygroundJson.write(body));
    }

    private static void text(HttpServerResponse r, int status, String json) {
        if (r.ended() || r.closed()) {
            return;
        }
        r.setStatusCode(status).putHeader("Content-Type", "application/json; charset=utf-8").end(json);
    }

    void stop(@Observes ShutdownEvent event) {
        teacherThread.shutdownNow();
        teacher.close();
    }
}
