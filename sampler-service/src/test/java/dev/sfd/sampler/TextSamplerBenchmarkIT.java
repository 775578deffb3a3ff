package dev.sfd.sampler;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.sfd.api.v1.GenerateRequest;
import dev.sfd.api.v1.GenerateResponse;
import dev.sfd.api.v1.OutputFormat;
import dev.sfd.stack.LocalStack;
import dev.sfd.stack.SharedLocalStack;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/**
 * Benchmark (not a test: it asserts nothing about speed, and runs only with -Pbenchmark): the packaged
 * service serving a text-to-image starter student of the shapes-sd fixture, as a child JVM on the local
 * stack, called by a grpc-java client in this JVM. Prints p50/p99 of Generate at the first trained N for
 * PNG (student + batched VAE decode + PNG encode) against LATENT (student only, raw bytes), at batch 1 and
 * 8, in interleaved rounds after a warm-up, with the server's model-call time from the responses'
 * Timings; and PNG at batch 1 when every call's prompt misses the cache (prompt-cache-size 1, two
 * prompts alternating: the text encoder runs on the request thread each call).
 * Sizes: {@code -Dsfd.bench.warmup} (calls per row, 2000), {@code -Dsfd.bench.block} (calls per row and
 * round, 200), {@code -Dsfd.bench.rounds} (10).
 */
@Tag("benchmark")
class TextSamplerBenchmarkIT {

    private static final List<String> JVM = List.of("-Xms512m", "-Xmx512m");
    private static final String STUDENT = "bench-text";

    private record Row(String name, GenerateRequest[] requests, BenchStats client, BenchStats model) {
    }

    @Test
    void printPngAgainstLatent() throws Exception {
        int warmup = Integer.getInteger("sfd.bench.warmup", 2000);
        int block = Integer.getInteger("sfd.bench.block", 200);
        int rounds = Integer.getInteger("sfd.bench.rounds", 10);
        LocalStack stack = SharedLocalStack.get();
        try (TestCheckpoints checkpoints = new TestCheckpoints(stack)) {
            if (checkpoints.store().latestVersion(STUDENT).isEmpty()) {
                byte[] onnx = TestCheckpoints.textStudent();
                checkpoints.store().put(dev.sfd.pipeline.sampler.StarterStudent.draft(STUDENT, 1, onnx), onnx);
            }
        }
        Map<String, String> config = new LinkedHashMap<>();
        config.put("sfd.sampler.student", STUDENT);
        config.put("sfd.sampler.pipeline", TestCheckpoints.pipeline());
        Map<String, String> missing = new LinkedHashMap<>(config);
        missing.put("sfd.sampler.prompt-cache-size", "1");
        try (ServiceProcess cached = ServiceProcess.start(stack, "bench-text", config, JVM);
                ServiceProcess uncached = ServiceProcess.start(stack, "bench-text-miss", missing, JVM);
                GrpcClients a = new GrpcClients(cached.grpcPort);
                GrpcClients b = new GrpcClients(uncached.grpcPort)) {
            List<Row> rows = new ArrayList<>();
            for (int count : new int[] {1, 8}) {
                for (OutputFormat f : List.of(OutputFormat.OUTPUT_FORMAT_PNG, OutputFormat.OUTPUT_FORMAT_LATENT)) {
                    rows.add(new Row(f.name().substring("OUTPUT_FORMAT_".length()) + ", batch " + count,
                            new GenerateRequest[] {request("a small red circle", count, f)}, new BenchStats(),
                            new BenchStats()));
                }
            }
            Row miss = new Row("PNG, batch 1, prompt not cached", new GenerateRequest[] {
                    request("a small red circle", 1, OutputFormat.OUTPUT_FORMAT_PNG),
                    request("the ring is blue", 1, OutputFormat.OUTPUT_FORMAT_PNG)}, new BenchStats(), new BenchStats());
            for (Row r : rows) {
                run(a, r, warmup, null);
            }
            run(b, miss, warmup, null);
            for (int round = 0; round < rounds; round++) {
                for (Row r : rows) {
                    run(a, r, block, r);
                }
                run(b, miss, block, miss);
            }
            rows.add(miss);
            System.out.printf(Locale.ROOT, "text-to-image sampler (shapes-sd fixture starter student, first trained N, "
                    + "%d rounds x %d calls per row after %d warm-up calls; client in the test JVM)%n", rounds, block,
                    warmup);
            System.out.printf(Locale.ROOT, "%-34s | %-19s | %-19s%n", "row", "client p50 / p99 ms",
                    "server model call p50 / p99 ms");
            for (Row r : rows) {
                System.out.printf(Locale.ROOT, "%-34s | %-19s | %-19s%n", r.name(), r.client().p50p99(),
                        r.model().p50p99());
            }
        }
    }

    private static GenerateRequest request(String prompt, int count, OutputFormat f) {
        return GenerateRequest.newBuilder().setPrompt(prompt).setSeed(11).setCount(count).setOutput(f).build();
    }

    /** {@code calls} calls of the row's requests in turn; recorded into {@code into} unless it is null (warm-up). */
    private static void run(GrpcClients c, Row row, int calls, Row into) {
        for (int i = 0; i < calls; i++) {
            GenerateRequest r = row.requests()[i % row.requests().length];
            long t0 = System.nanoTime();
            GenerateResponse g = c.timed().generate(r);
            long took = System.nanoTime() - t0;
            assertEquals(r.getCount(), g.getSamplesCount());
            if (into != null) {
                into.client().add(took);
                into.model().add((long) (g.getTimings().getModelMs() * 1e6));
            }
        }
    }
}
