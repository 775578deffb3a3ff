package dev.sfd.sampler;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.sfd.stack.LocalStack;
import dev.sfd.stack.SharedLocalStack;
import java.io.FileOutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/**
 * Benchmark (not a test: it asserts nothing about speed, and runs only with -Pbenchmark): the
 * packaged service as child JVMs on the local stack, measured by {@link SamplerBenchClient} in a
 * JVM of its own, which prints one table:
 * <ul>
 *   <li>latency p50/p99 of Generate at NFE 2 (OUTPUT_FORMAT_RAW): mixture2d batch 1, shapes batch 1
 *       and 8, each against StudentSampler in the client's JVM and against the floor (ModelInfo on
 *       the same channel), in interleaved rounds after a warm-up that lasts until the p50 is stable;
 *       the server's own queue and model time from the responses' Timings;</li>
 *   <li>16 closed-loop clients at batch 1 on each data set, batching on vs off (max-batch 1), with
 *       the batch sizes reached, against the model's own batch-1 → batch-8 per-sample speed-up;</li>
 *   <li>the first request served by each new version (10 swaps, quiet), publish → serving, the
 *       latency of 4 clients during 10 swaps and their failed calls, and RSS over 100 reloads.</li>
 * </ul>
 * Sizes: {@code -Dsfd.bench.warmup} (calls per path, at least; default 10000), {@code
 * -Dsfd.bench.block} (calls per round, 1000), {@code -Dsfd.bench.rounds} (10), {@code
 * -Dsfd.bench.batching-calls} (per client, 1000), {@code -Dsfd.bench.swaps} (10), {@code
 * -Dsfd.bench.reloads} (100).
 */
@Tag("benchmark")
class SamplerBenchmarkIT {

    private static final List<String> JVM = List.of("-Xms512m", "-Xmx512m");

    @Test
    void printSideBySide() throws Exception {
        LocalStack stack = SharedLocalStack.get();
        Path dir = Files.createTempDirectory("sfd-sampler-bench-");
        stack.endpoints().save(dir);
        try (TestCheckpoints checkpoints = new TestCheckpoints(stack)) {
            byte[] mixture = TestCheckpoints.mixtureStudent();
            byte[] shapes = TestCheckpoints.shapesStudent();
            checkpoints.store().put(dev.sfd.pipeline.sampler.StarterStudent.draft("bench-mixture", 1, mixture), mixture);
            checkpoints.store().put(dev.sfd.pipeline.sampler.StarterStudent.draft("bench-shapes", 1, shapes), shapes);
        }
        Properties p = new Properties();
        p.setProperty("stack-dir", dir.toString());
        for (String k : List.of("warmup:10000", "block:1000", "rounds:10", "batching-calls:1000", "swaps:10",
                "reloads:100")) {
            String[] kv = k.split(":");
            p.setProperty(kv[0], System.getProperty("sfd.bench." + kv[0], kv[1]));
        }
        List<ServiceProcess> services = new ArrayList<>();
        try {
            start(services, p, stack, "mixture-on", Map.of("sfd.sampler.student", "bench-mixture"));
            start(services, p, stack, "mixture-off", Map.of("sfd.sampler.student", "bench-mixture",
                    "sfd.sampler.max-batch", "1", "sfd.sampler.max-queue-delay", "0s"));
            start(services, p, stack, "shapes-on", Map.of("sfd.sampler.student", "bench-shapes"));
            start(services, p, stack, "shapes-off", Map.of("sfd.sampler.student", "bench-shapes",
                    "sfd.sampler.max-batch", "1", "sfd.sampler.max-queue-delay", "0s"));
            Path props = dir.resolve("bench.properties");
            try (FileOutputStream out = new FileOutputStream(props.toFile())) {
                p.store(out, "sampler benchmark");
            }
            String javaCommand = ProcessHandle.current().info().command().orElse("java");
            Process client = new ProcessBuilder(javaCommand, "-Xms256m", "-Xmx768m", "-cp",
                    System.getProperty("java.class.path"), SamplerBenchClient.class.getName(), props.toString())
                    .redirectErrorStream(true).start();
            // through this JVM's System.out: the test runner reads a forked JVM's output as its channel
            try (java.io.BufferedReader in = new java.io.BufferedReader(new java.io.InputStreamReader(
                    client.getInputStream(), java.nio.charset.StandardCharsets.UTF_8))) {
                for (String line; (line = in.readLine()) != null; ) {
                    System.out.println(line);
                }
            }
            if (!client.waitFor(10, TimeUnit.MINUTES)) {
                client.destroyForcibly();
            }
            assertEquals(0, client.exitValue(), "the benchmark client failed (its output is above)");
        } finally {
            for (ServiceProcess s : services) {
                s.close();
            }
        }
    }

    private static void start(List<ServiceProcess> services, Properties p, LocalStack stack, String name,
                              Map<String, String> config) throws Exception {
        // the idle services of the other rows only wait on their sockets while one is measured
        ServiceProcess s = ServiceProcess.start(stack, "bench-" + name, config, JVM);
        services.add(s);
        p.setProperty(name + ".port", Integer.toString(s.grpcPort));
        p.setProperty(name + ".pid", Long.toString(s.pid()));
    }
}
