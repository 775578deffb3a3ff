package dev.sfd.teacher;

import dev.sfd.core.diffusion.NoiseModel;
import dev.sfd.core.distill.TeacherInfo;
import dev.sfd.core.teachers.imports.text2image.PromptEncoder;
import dev.sfd.pipeline.PipelineTeacher;
import dev.sfd.pipeline.TeacherSource;
import dev.sfd.pipeline.teacher.PromptValidator;
import dev.sfd.pipeline.teacher.TeacherBatchRunner;
import dev.sfd.pipeline.teacher.TeacherStageSettings;
import dev.sfd.pipeline.teacher.TeacherStageWorker;
import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.runtime.StartupEvent;
import jakarta.annotation.Priority;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import org.jboss.logging.Logger;

/**
 * Loads and verifies the configured teacher at start (a built-in, an ONNX file, or a text-to-image pipeline
 * folder / its {@code .teacher.json}: then prompts are free text, encoded once each; a failure, e.g. CUDA requested but
 * unavailable, stops the start-up), then runs the stage's worker until shutdown, when it finishes
 * the batch in progress and hands back unfinished prompts.
 */
@ApplicationScoped
public class TeacherEngine {

    private static final Logger LOG = Logger.getLogger(TeacherEngine.class);

    /** What the running stage consists of. */
    public record Running(TeacherInfo info, TeacherStageSettings settings, PromptValidator validator,
                          TeacherStageWorker worker) {
    }

    private final TeacherSettings settings;
    private final BlockChannel channel;
    private final TeacherMetrics metrics;
    private final CompletableFuture<Running> started = new CompletableFuture<>();
    private NoiseModel teacher;
    private PipelineTeacher pipeline; // null unless the teacher is a text-to-image pipeline
    private volatile Running running;

    public TeacherEngine(TeacherSettings settings, BlockChannel channel, TeacherMetrics metrics) {
        this.settings = settings;
        this.channel = channel;
        this.metrics = metrics;
    }

    void start(@Observes @Priority(10) StartupEvent event) {
        long t0 = System.nanoTime();
        TeacherInfo info;
        PromptEncoder prompts = null; // a text-to-image teacher's tokenizer + text encoder
        if (PipelineTeacher.applies(settings.model())) { // a pipeline folder or its .teacher.json
            pipeline = PipelineTeacher.open(settings.model(), settings.session());
            info = pipeline.info().requireComplete();
            prompts = pipeline.prompts();
            teacher = pipeline.openUnet(settings.session());
        } else {
            TeacherSource source = TeacherSource.resolve(settings.model()); // built-ins: checksum and contract verified
            info = source.info().requireComplete();
            teacher = source.open(settings.session()); // CUDA requested but unavailable throws here
        }
        TeacherStageSettings stage = settings.stage(info.tMin(), info.tMax());
        TeacherStageWorker worker = new TeacherStageWorker(new TeacherBatchRunner(teacher, info, stage, prompts), stage,
                channel, metrics).start();
        metrics.watch(worker::activePrompts, worker::inFlightBlocks);
        running = new Running(info, stage, new PromptValidator(info, stage.stepCounts(), prompts), worker);
        started.complete(running);
        LOG.infof("teacher %s (sha256 %s, data set %s, sample shape %s) loaded on %s in %.1f s; %s K=%d, N %s,"
                        + " batch %d, wait %s", info.id(), info.sha256().substring(0, 12), info.dataset(),
                TeacherInfo.shapeString(info.sampleShape()), settings.session().provider(),
                (System.nanoTime() - t0) / 1e9, stage.solver(), stage.k(), stage.stepCounts(), stage.batchSize(),
                stage.batchWait());
    }

    void stop(@Observes ShutdownEvent event) {
        Running r = running;
        if (r != null) {
            boolean drained = r.worker().stop(settings.shutdownTimeout());
            LOG.infof("teacher stage stopped (%s); unfinished prompts are not committed and will be re-delivered",
                    drained ? "all sent blocks acknowledged" : "some blocks still unacknowledged");
        }
        if (teacher != null) {
            try {
                teacher.close();
            } catch (Exception e) {
                LOG.warn("closing the teacher session failed: " + e.getMessage());
            }
        }
        if (pipeline != null) {
            pipeline.close();
        }
    }

    /** Completes when the teacher is loaded and the worker runs. */
    public CompletionStage<Running> started() {
        return started;
    }

    /** The running stage, or null before start-up finished. */
    public Running running() {
        return running;
    }
}
