package dev.sfd.sampler;

import dev.sfd.api.v1.GenerateRequest;
import dev.sfd.api.v1.OutputFormat;
import dev.sfd.core.distill.StudentCheckpoint;
import dev.sfd.core.distill.StudentMetadata;
import dev.sfd.core.distill.StudentSampler;
import dev.sfd.core.onnx.OnnxModel;
import dev.sfd.core.onnx.SessionConfig;
import dev.sfd.stack.LocalStack;
import dev.sfd.stack.SharedLocalStack;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.function.IntConsumer;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/**
 * Benchmark (not a test: it asserts nothing about speed, and runs only with -Pbenchmark): the
 * packaged service as a child JVM against the same student in process, printed side by side.
 * <ul>
 *   <li>p50/p99 of Generate at NFE 2, raw tensor output, batch 1 (mixture2d, shapes) and batch 8
 *       (shapes), against StudentSampler in this JVM with the same seeds;</li>
 *   <li>throughput of 8 concurrent clients (batch 1 each) with dynamic batching on and off;</li>
 *   <li>event-to-serving time of a hot swap (publish → ModelInfo reports the version).</li>
 * </ul>
 * Size: {@code -Dsfd.bench.calls=N} calls per measurement (default 2000).
 */
@Tag("benchmark")
class SamplerBenchmarkIT {

    private static final int CALLS = Integer.getInteger("sfd.bench.calls", 2000);
    private static final int CLIENTS = 8;
    private static final List<String> JVM = List.of("-Xms512m", "-Xmx512m");

    private final StringBuilder table = new StringBuilder();

    @Test
    void printSideBySide() throws Exception {
        LocalStack stack = SharedLocalStack.get();
        try (TestCheckpoints checkpoints = new TestCheckpoints(stack)) {
            byte[] mixture = TestCheckpoints.mixtureStudent();
            byte[] shapes = TestCheckpoints.shapesStudent();
            checkpoints.store().put(dev.sfd.pipeline.sampler.StarterStudent.draft("bench-mixture", 1, mixture), mixture);
            checkpoints.store().put(dev.sfd.pipeline.sampler.StarterStudent.draft("bench-shapes", 1, shapes), shapes);
            row("measurement", "in process", "service", "added / ratio");

            try (ServiceProcess on = ServiceProcess.start(stack, "bench-mixture", Map.of("sfd.sampler.student",
                    "bench-mixture"), JVM); GrpcClients c = new GrpcClients(on.grpcPort)) {
                latency("mixture2d NFE 2 batch 1 p50/p99 (ms)", mixture, c, 1);
                double batched = throughput(c);
                try (ServiceProcess off = ServiceProcess.start(stack, "bench-mixture-off", Map.of(
                        "sfd.sampler.student", "bench-mixture", "sfd.sampler.max-batch", "1",
                        "sfd.sampler.max-queue-delay", "0s"), JVM); GrpcClients o = new GrpcClients(off.grpcPort)) {
                    double alone = throughput(o);
                    row("8 clients, batch 1 each (req/s)", "-", String.format("on %.0f / off %.0f", batched, alone),
                            String.format("%.2fx", batched / alone));
                }
                eventToServing(checkpoints, c, mixture, on);
            }
            try (ServiceProcess s = ServiceProcess.start(stack, "bench-shapes", Map.of("sfd.sampler.student",
                    "bench-shapes"), JVM); GrpcClients c = new GrpcClients(s.grpcPort)) {
                latency("shapes NFE 2 batch 1 p50/p99 (ms)", shapes, c, 1);
                latency("shapes NFE 2 batch 8 p50/p99 (ms)", shapes, c, 8);
            }
        }
        System.out.println("\nsampler-service benchmark (" + CALLS + " calls per measurement)\n" + table);
    }

    private void latency(String what, byte[] onnx, GrpcClients c, int batch) throws Exception {
        OnnxModel model = OnnxModel.parse("student", onnx);
        StudentMetadata meta = StudentMetadata.of(model);
        int[] labels = new int[batch];
        double[] local;
        try (StudentSampler sampler = new StudentSampler(new StudentCheckpoint(model, meta, ""), SessionConfig.cpu(1))) {
            local = time(i -> sampler.sample(seeds(i, batch), labels, 3, 1.0));
        }
        double[] remote = time(i -> c.sampler.generate(GenerateRequest.newBuilder().setLabel(0).setNfe(2)
                .setSeed((long) i * batch).setCount(batch).setOutput(OutputFormat.OUTPUT_FORMAT_TENSOR).build()));
        row(what, String.format("%.3f / %.3f", local[0], local[1]), String.format("%.3f / %.3f", remote[0], remote[1]),
                String.format("+%.3f ms p50 (%.1f%%)", remote[0] - local[0], 100 * (remote[0] - local[0]) / local[0]));
    }

    private static long[] seeds(int i, int batch) {
        long[] s = new long[batch];
        for (int k = 0; k < batch; k++) {
            s[k] = (long) i * batch + k;
        }
        return s;
    }

    /** p50 and p99 in ms of {@code CALLS} calls, after {@code CALLS / 5} warm-up calls. */
    private static double[] time(IntConsumer call) {
        for (int i = 0; i < Math.max(5, CALLS / 5); i++) {
            call.accept(i);
        }
        long[] ns = new long[CALLS];
        for (int i = 0; i < CALLS; i++) {
            long t = System.nanoTime();
            call.accept(i);
            ns[i] = System.nanoTime() - t;
        }
        Arrays.sort(ns);
        return new double[] {ns[CALLS / 2] / 1e6, ns[Math.min(CALLS - 1, (int) (CALLS * 0.99))] / 1e6};
    }

    private static double throughput(GrpcClients c) throws Exception {
        ExecutorService pool = Executors.newFixedThreadPool(CLIENTS);
        try {
            Runnable one = () -> {
                for (int i = 0; i < CALLS; i++) {
                    c.sampler.generate(GenerateRequest.newBuilder().setLabel(i % 8).setNfe(2).setSeed(i).setCount(1)
                            .setOutput(OutputFormat.OUTPUT_FORMAT_TENSOR).build());
                }
            };
            List<Future<?>> warm = new ArrayList<>();
            for (int k = 0; k < CLIENTS; k++) {
                warm.add(pool.submit(one));
            }
            for (Future<?> f : warm) {
                f.get();
            }
            long t = System.nanoTime();
            List<Future<?>> run = new ArrayList<>();
            for (int k = 0; k < CLIENTS; k++) {
                run.add(pool.submit(one));
            }
            for (Future<?> f : run) {
                f.get();
            }
            return CLIENTS * (double) CALLS / ((System.nanoTime() - t) / 1e9);
        } finally {
            pool.shutdownNow();
        }
    }

    private void eventToServing(TestCheckpoints checkpoints, GrpcClients c, byte[] onnx, ServiceProcess service)
            throws Exception {
        int swaps = 5;
        double[] ms = new double[swaps];
        for (int k = 0; k < swaps; k++) {
            long v = 2 + k;
            long t = System.nanoTime();
            checkpoints.publish("bench-mixture", v, onnx);
            while (c.timed().modelInfo(dev.sfd.api.v1.ModelInfoRequest.getDefaultInstance()).getModel().getVersion() != v) {
                Thread.sleep(2);
            }
            ms[k] = (System.nanoTime() - t) / 1e6;
        }
        Arrays.sort(ms);
        String server = service.metrics().lines().filter(l -> l.startsWith("sfd_sampler_event_to_serving_seconds_max"))
                .findFirst().orElse("(no server metric)");
        row("hot swap: publish -> serving (ms)", "-", String.format("median %.0f, max %.0f", ms[swaps / 2],
                ms[swaps - 1]), server);
    }

    private void row(String a, String b, String c, String d) {
        table.append(String.format("%-40s | %-22s | %-26s | %s%n", a, b, c, d));
    }
}
