package dev.sfd.cli;

import dev.sfd.api.v1.GenerateRequest;
import dev.sfd.api.v1.GenerateResponse;
import dev.sfd.api.v1.OutputFormat;
import dev.sfd.api.v1.Sample;
import dev.sfd.cli.services.SamplerClient;
import dev.sfd.contract.ServicePorts;
import dev.sfd.core.image.ImageGrid;
import io.grpc.StatusRuntimeException;
import java.awt.image.BufferedImage;
import java.io.ByteArrayInputStream;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import java.util.stream.Collectors;
import javax.imageio.ImageIO;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code sfd generate}: a gRPC client of sampler-service (few-step generation with the live student). */
@Command(name = "generate", mixinStandardHelpOptions = true,
        description = "Generate samples with the served student over gRPC: PNG files or a grid for image students, "
                + "values printed for 2-D ones.")
final class GenerateCommand implements Callable<Integer> {

    @Spec
    CommandSpec spec;

    @Option(names = "--target", defaultValue = "127.0.0.1:" + ServicePorts.SAMPLER_GRPC,
            description = "sampler-service gRPC address (default ${DEFAULT-VALUE}).")
    String target;

    @Option(names = "--prompt", description = "Prompt text, e.g. 'a red circle' or 'north'; none = unconditional.")
    String prompt;

    @Option(names = "--nfe", description = "Network evaluations per sample (default: the smallest trained).")
    Integer nfe;

    @Option(names = "--steps", description = "Student steps N instead of --nfe.")
    Integer steps;

    @Option(names = {"--guidance", "-w"}, description = "Guidance scale ω (default 1).")
    Double guidance;

    @Option(names = "--seed", description = "First seed (seeds seed … seed+count−1); none = drawn by the server.")
    Long seed;

    @Option(names = "--count", defaultValue = "8", description = "Samples (default ${DEFAULT-VALUE}).")
    int count;

    @Option(names = "--out", description = "Directory for one PNG per sample (image students).")
    Path outDir;

    @Option(names = "--grid", description = "One PNG grid of all samples (image students).")
    Path grid;

    @Option(names = "--deadline", defaultValue = "30", description = "Call deadline in seconds (default ${DEFAULT-VALUE}).")
    double deadline;

    @Override
    public Integer call() throws Exception {
        PrintWriter out = spec.commandLine().getOut();
        boolean images = outDir != null || grid != null;
        GenerateRequest.Builder req = GenerateRequest.newBuilder().setCount(count)
                .setOutput(images ? OutputFormat.OUTPUT_FORMAT_PNG : OutputFormat.OUTPUT_FORMAT_UNSPECIFIED);
        if (prompt != null) {
            req.setPrompt(prompt);
        }
        if (nfe != null) {
            req.setNfe(nfe);
        }
        if (steps != null) {
            req.setSteps(steps);
        }
        if (guidance != null) {
            req.setGuidance(guidance);
        }
        if (seed != null) {
            req.setSeed(seed);
        }
        GenerateResponse r;
        try (SamplerClient client = new SamplerClient(target, Duration.ofMillis((long) (deadline * 1000)))) {
            r = client.generate(req.build());
        } catch (StatusRuntimeException e) {
            throw new IllegalStateException("sampler at " + target + " refused the request: "
                    + e.getStatus().getCode() + ": " + e.getStatus().getDescription(), e);
        }
        out.printf(Locale.ROOT, "%s v%d: %d sample(s), N = %d (NFE %d%s), ω = %.2f, label %d; %.1f ms (queue %.1f, "
                        + "model %.1f, batch %d)%n", r.getModel().getStudent(), r.getModel().getVersion(),
                r.getSamplesCount(), r.getSteps(), r.getNfe(), r.getTrained() ? "" : ", untrained N: " + r.getWarning(),
                r.getGuidance(), r.getLabel(), r.getTimings().getTotalMs(), r.getTimings().getQueueMs(),
                r.getTimings().getModelMs(), r.getTimings().getBatchSize());
        if (r.getPromptTruncated()) {
            out.println("  " + r.getWarning()); // a text-to-image student cut the prompt to its tokenizer's length
        }
        if (outDir != null) {
            Files.createDirectories(outDir);
        }
        ImageGrid g = null;
        for (Sample s : r.getSamplesList()) {
            if (s.hasPng()) {
                BufferedImage img = ImageIO.read(new ByteArrayInputStream(s.getPng().toByteArray()));
                if (outDir != null) {
                    Path f = outDir.resolve(String.format(Locale.ROOT, "sample-%03d-seed-%d.png", s.getIndex(), s.getSeed()));
                    Files.write(f, s.getPng().toByteArray());
                    out.println("  wrote " + f);
                }
                if (grid != null) {
                    int columns = Math.min(8, r.getSamplesCount());
                    if (g == null) {
                        g = new ImageGrid((r.getSamplesCount() + columns - 1) / columns, columns, 2);
                    }
                    g.set(s.getIndex() / columns, s.getIndex() % columns, img);
                }
            } else {
                out.printf(Locale.ROOT, "  seed %-20d %s%n", s.getSeed(), s.getTensor().getValuesList().stream()
                        .map(v -> String.format(Locale.ROOT, "%.4f", v)).collect(Collectors.joining(" ")));
            }
        }
        if (g != null) {
            g.writePng(grid);
            out.println("  wrote " + grid);
        } else if (grid != null) {
            out.println("  (no grid: this student's samples are not images)");
        }
        out.flush();
        return 0;
    }

}
