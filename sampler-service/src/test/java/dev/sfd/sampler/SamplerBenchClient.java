package dev.sfd.sampler;

import dev.sfd.api.v1.GenerateRequest;
import dev.sfd.api.v1.GenerateResponse;
import dev.sfd.api.v1.ModelInfoRequest;
import dev.sfd.api.v1.OutputFormat;
import dev.sfd.api.v1.SamplerGrpc;
import dev.sfd.core.distill.StudentCheckpoint;
import dev.sfd.core.distill.StudentMetadata;
import dev.sfd.core.distill.StudentSampler;
import dev.sfd.core.onnx.OnnxModel;
import dev.sfd.core.onnx.SessionConfig;
import dev.sfd.stack.StackEndpoints;
import io.grpc.ManagedChannel;
import io.grpc.ManagedChannelBuilder;
import java.io.FileInputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Properties;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The sampler benchmark's client, run in a JVM of its own by {@link SamplerBenchmarkIT} (so the
 * services' JVMs and this one share nothing but loopback and the cores). It measures in-process
 * sampling and the service side by side, interleaved round by round, after a warm-up that runs
 * until the p50 is stable; a floor row (ModelInfo on the same channel) shows what gRPC itself costs.
 * Prints one table. Argument: the properties file the IT wrote (ports, pids, stack, sizes).
 */
public final class SamplerBenchClient {

    private final Properties p;
    private final int warmup;
    private final int block;
    private final int rounds;
    private final int batchingCalls;
    private final int swaps;
    private final int reloads;
    private final StringBuilder table = new StringBuilder();
    private final TestCheckpoints checkpoints;
    private final byte[] mixture = TestCheckpoints.mixtureStudent();
    private final byte[] shapes = TestCheckpoints.shapesStudent();
    private final java.util.Map<String, Long> versions = new java.util.HashMap<>();

    private SamplerBenchClient(Properties p) throws Exception {
        this.p = p;
        warmup = Integer.parseInt(p.getProperty("warmup"));
        block = Integer.parseInt(p.getProperty("block"));
        rounds = Integer.parseInt(p.getProperty("rounds"));
        batchingCalls = Integer.parseInt(p.getProperty("batching-calls"));
        swaps = Integer.parseInt(p.getProperty("swaps"));
        reloads = Integer.parseInt(p.getProperty("reloads"));
        checkpoints = new TestCheckpoints(StackEndpoints.load(Path.of(p.getProperty("stack-dir"))));
    }

    public static void main(String[] args) throws Exception {
        Properties p = new Properties();
        try (FileInputStream in = new FileInputStream(args[0])) {
            p.load(in);
        }
        SamplerBenchClient c = new SamplerBenchClient(p);
        try {
            c.run();
        } finally {
            c.checkpoints.close();
        }
        System.exit(0);
    }

    private void run() throws Exception {
        row("measurement", "in process", "service", "floor (ModelInfo)", "added", "server queue / model p50 (ms)");
        ManagedChannel mOn = channel("mixture-on");
        ManagedChannel mOff = channel("mixture-off");
        ManagedChannel sOn = channel("shapes-on");
        ManagedChannel sOff = channel("shapes-off");
        try (StudentSampler mix = sampler(mixture); StudentSampler shp = sampler(shapes)) {
            double mixB1 = latency("mixture2d NFE 2 batch 1 p50 / p99 (ms)", mix, mOn, 1);
            double mixB8 = inProcessOnly(mix, 8);
            double shpB1 = latency("shapes NFE 2 batch 1 p50 / p99 (ms)", shp, sOn, 1);
            double shpB8 = latency("shapes NFE 2 batch 8 p50 / p99 (ms)", shp, sOn, 8);
            batching("mixture2d", mOn, mOff, mixB1, mixB8);
            batching("shapes", sOn, sOff, shpB1, shpB8);
            firstAfterSwap("mixture2d batch 1", "bench-mixture", mixture, mOn, 1);
            firstAfterSwap("shapes batch 8", "bench-shapes", shapes, sOn, 8);
            swapsUnderLoad(mOn);
            rss(mOn);
        } finally {
            for (ManagedChannel ch : List.of(mOn, mOff, sOn, sOff)) {
                ch.shutdownNow().awaitTermination(10, TimeUnit.SECONDS);
            }
        }
        System.out.println("\nsampler-service benchmark (warm-up >= " + warmup + " calls per path until p50 is stable, "
                + rounds + " interleaved rounds of " + block + " calls, output OUTPUT_FORMAT_RAW)\n" + table);
    }

    private ManagedChannel channel(String service) {
        return ManagedChannelBuilder.forAddress("127.0.0.1", Integer.parseInt(p.getProperty(service + ".port")))
                .usePlaintext().build();
    }

    private static StudentSampler sampler(byte[] onnx) {
        OnnxModel model = OnnxModel.parse("student", onnx);
        return new StudentSampler(new StudentCheckpoint(model, StudentMetadata.of(model), ""), SessionConfig.cpu(1));
    }

    private static GenerateRequest request(long seed, int batch) {
        return GenerateRequest.newBuilder().setLabel(0).setNfe(2).setSeed(seed).setCount(batch)
                .setOutput(OutputFormat.OUTPUT_FORMAT_RAW).build();
    }

    private interface Call {
        void run(int i) throws Exception;
    }

    /** Runs blocks of calls until at least {@code warmup} calls and the last three block p50s agree within 3 %. */
    private int warm(Call call) throws Exception {
        List<Double> p50s = new ArrayList<>();
        int calls = 0;
        int size = Math.max(1, Math.min(1000, warmup / 10));
        while (true) {
            BenchStats s = new BenchStats();
            for (int i = 0; i < size; i++) {
                long t = System.nanoTime();
                call.run(calls + i);
                s.add(System.nanoTime() - t);
            }
            calls += size;
            p50s.add(s.p50());
            int k = p50s.size();
            if (calls >= warmup && k >= 3) {
                double a = p50s.get(k - 1);
                double b = p50s.get(k - 2);
                double c = p50s.get(k - 3);
                double hi = Math.max(a, Math.max(b, c));
                double lo = Math.min(a, Math.min(b, c));
                if (hi <= lo * 1.03 || calls >= 5 * warmup) {
                    return calls;
                }
            }
        }
    }

    private static void timed(Call call, int from, int n, BenchStats into) throws Exception {
        for (int i = 0; i < n; i++) {
            long t = System.nanoTime();
            call.run(from + i);
            into.add(System.nanoTime() - t);
        }
    }

    /** In process, service and floor, interleaved by rounds; returns the in-process p50 (ms). */
    private double latency(String what, StudentSampler local, ManagedChannel channel, int batch) throws Exception {
        SamplerGrpc.SamplerBlockingStub stub = SamplerGrpc.newBlockingStub(channel);
        int[] labels = new int[batch];
        BenchStats queue = new BenchStats();
        BenchStats model = new BenchStats();
        boolean[] record = {false};
        Call inProcess = i -> local.sample(seeds(i, batch), labels, 3, 1.0);
        Call service = i -> {
            GenerateResponse r = stub.generate(request((long) i * batch, batch));
            if (record[0]) {
                queue.add((long) (r.getTimings().getQueueMs() * 1e6));
                model.add((long) (r.getTimings().getModelMs() * 1e6));
            }
        };
        Call floor = i -> stub.modelInfo(ModelInfoRequest.getDefaultInstance());
        int w = warm(inProcess) + warm(service) + warm(floor);
        record[0] = true;
        BenchStats a = new BenchStats();
        BenchStats b = new BenchStats();
        BenchStats f = new BenchStats();
        for (int r = 0; r < rounds; r++) {
            timed(inProcess, r * block, block, a);
            timed(service, r * block, block, b);
            timed(floor, r * block, block, f);
        }
        double added = b.p50() - a.p50();
        double beyondGrpc = (b.p50() - f.p50()) - a.p50();
        row(what, a.p50p99(), b.p50p99(), f.p50p99(), String.format("%+.3f ms p50 (%+.1f %%); beyond the floor %+.3f ms;"
                + " p99/p50 %.1f", added, 100 * added / a.p50(), beyondGrpc, b.p99() / b.p50()),
                String.format("%.3f / %.3f (warm-up %d calls)", queue.p50(), model.p50(), w));
        return a.p50();
    }

    private double inProcessOnly(StudentSampler local, int batch) throws Exception {
        int[] labels = new int[batch];
        Call c = i -> local.sample(seeds(i, batch), labels, 3, 1.0);
        warm(c);
        BenchStats s = new BenchStats();
        timed(c, 0, rounds * block, s);
        return s.p50();
    }

    private static long[] seeds(int i, int batch) {
        long[] s = new long[batch];
        for (int k = 0; k < batch; k++) {
            s[k] = (long) i * batch + k;
        }
        return s;
    }

    /** 16 closed-loop clients at batch 1: batching on vs off, against the model's own batch-8 speed-up. */
    private void batching(String dataset, ManagedChannel on, ManagedChannel off, double b1, double b8)
            throws Exception {
        int clients = 16;
        TreeMap<Integer, Integer> sizes = new TreeMap<>();
        BenchStats queue = new BenchStats();
        BenchStats model = new BenchStats();
        double withBatching = throughput(on, clients, sizes, queue, model);
        double without = throughput(off, clients, new TreeMap<>(), new BenchStats(), new BenchStats());
        double modelSpeedUp = b1 / (b8 / 8);
        double gain = withBatching / without;
        StringBuilder hist = new StringBuilder();
        sizes.forEach((size, n) -> hist.append(size).append(':').append(n).append(' '));
        row(dataset + ", 16 clients at batch 1 (req/s)", String.format("model b1->b8 per-sample speed-up %.2fx",
                modelSpeedUp), String.format("on %.0f / off %.0f = %.2fx", withBatching, without, gain), "-",
                String.format("%.2f of the model's speed-up", gain / modelSpeedUp), String.format(
                "%.3f / %.3f; requests by batch size: %s", queue.p50(), model.p50(), hist.toString().trim()));
    }

    private double throughput(ManagedChannel channel, int clients, TreeMap<Integer, Integer> sizes, BenchStats queue,
                              BenchStats model) throws Exception {
        SamplerGrpc.SamplerBlockingStub stub = SamplerGrpc.newBlockingStub(channel);
        ConcurrentLinkedQueue<int[]> seen = new ConcurrentLinkedQueue<>();
        ConcurrentLinkedQueue<long[]> times = new ConcurrentLinkedQueue<>();
        for (int phase = 0; phase < 2; phase++) {
            boolean measure = phase == 1;
            int calls = measure ? batchingCalls : Math.max(100, batchingCalls / 4);
            List<Thread> threads = new ArrayList<>();
            AtomicInteger failed = new AtomicInteger();
            long start = System.nanoTime();
            for (int c = 0; c < clients; c++) {
                int id = c;
                Thread t = new Thread(() -> {
                    for (int i = 0; i < calls; i++) {
                        try {
                            GenerateResponse r = stub.generate(request((long) id * 1_000_000 + i, 1));
                            if (measure) {
                                seen.add(new int[] {r.getTimings().getBatchSize()});
                                times.add(new long[] {(long) (r.getTimings().getQueueMs() * 1e6),
                                        (long) (r.getTimings().getModelMs() * 1e6)});
                            }
                        } catch (RuntimeException e) {
                            failed.incrementAndGet();
                        }
                    }
                });
                t.start();
                threads.add(t);
            }
            for (Thread t : threads) {
                t.join();
            }
            if (measure) {
                double seconds = (System.nanoTime() - start) / 1e9;
                for (int[] s : seen) {
                    sizes.merge(s[0], 1, Integer::sum);
                }
                for (long[] t : times) {
                    queue.add(t[0]);
                    model.add(t[1]);
                }
                if (failed.get() > 0) {
                    System.out.println("WARNING: " + failed.get() + " failed calls in the throughput run");
                }
                return clients * (double) calls / seconds;
            }
        }
        throw new IllegalStateException("unreachable");
    }

    private long nextVersion(String student) {
        return versions.merge(student, 1L, Long::sum) + 1; // v1 was published by the IT
    }

    /** Publishes and waits until ModelInfo reports the version; returns publish → serving in ns. */
    private long swap(SamplerGrpc.SamplerBlockingStub stub, String student, byte[] onnx, long v) throws Exception {
        long t = System.nanoTime();
        checkpoints.publish(student, v, onnx);
        long deadline = t + TimeUnit.SECONDS.toNanos(60);
        while (stub.modelInfo(ModelInfoRequest.getDefaultInstance()).getModel().getVersion() != v) {
            if (System.nanoTime() > deadline) {
                throw new IllegalStateException(student + " v" + v + " not serving 60 s after its publication");
            }
            Thread.sleep(0, 200_000);
        }
        return System.nanoTime() - t;
    }

    /** The first request each new version serves, against that request's steady p50. */
    private void firstAfterSwap(String what, String student, byte[] onnx, ManagedChannel channel, int batch)
            throws Exception {
        SamplerGrpc.SamplerBlockingStub stub = SamplerGrpc.newBlockingStub(channel);
        Call steadyCall = i -> stub.generate(request(i, batch));
        warm(steadyCall);
        BenchStats steady = new BenchStats();
        timed(steadyCall, 0, block, steady);
        BenchStats first = new BenchStats();
        BenchStats hot = new BenchStats();
        for (int k = 0; k < swaps; k++) {
            long v = nextVersion(student);
            hot.add(swap(stub, student, onnx, v));
            long t = System.nanoTime();
            GenerateResponse r = stub.generate(request(k, batch));
            first.add(System.nanoTime() - t);
            if (r.getModel().getVersion() != v) {
                System.out.println("WARNING: the first request after the swap to v" + v + " was served by v"
                        + r.getModel().getVersion());
            }
            timed(steadyCall, k * 100, 100, steady); // back to steady between swaps
        }
        row("first request after a swap, " + what + " (" + swaps + " swaps)", "-", String.format(
                "p50 %.3f / p99 %.3f / max %.3f", first.p50(), first.p99(), first.max()), String.format(
                "steady p50 %.3f", steady.p50()), String.format("max / steady p50 = %.2fx", first.max() / steady.p50()),
                String.format("publish -> serving median %.0f ms, max %.0f ms", hot.p50(), hot.max()));
    }

    /** 4 clients calling while versions are published: latency across the swaps and failed calls. */
    private void swapsUnderLoad(ManagedChannel channel) throws Exception {
        SamplerGrpc.SamplerBlockingStub stub = SamplerGrpc.newBlockingStub(channel);
        AtomicBoolean stop = new AtomicBoolean();
        AtomicInteger failed = new AtomicInteger();
        ConcurrentLinkedQueue<Long> lat = new ConcurrentLinkedQueue<>();
        List<Thread> threads = new ArrayList<>();
        for (int c = 0; c < 4; c++) {
            int id = c;
            Thread t = new Thread(() -> {
                int i = 0;
                while (!stop.get()) {
                    long t0 = System.nanoTime();
                    try {
                        stub.withDeadlineAfter(30, TimeUnit.SECONDS).generate(request(id * 1_000_000L + i++, 1));
                        lat.add(System.nanoTime() - t0);
                    } catch (RuntimeException e) {
                        failed.incrementAndGet();
                    }
                }
            });
            t.start();
            threads.add(t);
        }
        BenchStats hot = new BenchStats();
        for (int k = 0; k < swaps; k++) {
            hot.add(swap(stub, "bench-mixture", mixture, nextVersion("bench-mixture")));
            Thread.sleep(200);
        }
        stop.set(true);
        for (Thread t : threads) {
            t.join();
        }
        BenchStats all = new BenchStats();
        lat.forEach(all::add);
        row("mixture2d, 4 clients during " + swaps + " swaps", "-", String.format("p50 %.3f / p99 %.3f / max %.3f",
                all.p50(), all.p99(), all.max()), "-", failed.get() + " failed of " + (all.count() + failed.get()),
                String.format("publish -> serving median %.0f ms, max %.0f ms", hot.p50(), hot.max()));
    }

    private void rss(ManagedChannel channel) throws Exception {
        SamplerGrpc.SamplerBlockingStub stub = SamplerGrpc.newBlockingStub(channel);
        long pid = Long.parseLong(p.getProperty("mixture-on.pid"));
        long start = rssKiB(pid);
        long mid = start;
        for (int k = 0; k < reloads; k++) {
            swap(stub, "bench-mixture", mixture, nextVersion("bench-mixture"));
            stub.generate(request(k, 1));
            if (k == reloads / 2) {
                mid = rssKiB(pid);
            }
        }
        long end = rssKiB(pid);
        row("RSS over " + reloads + " reloads (MiB)", "-", String.format("start %.0f, after %d %.0f, end %.0f",
                start / 1024.0, reloads / 2, mid / 1024.0, end / 1024.0), "-", String.format("%+.0f MiB", (end - start)
                / 1024.0), "-");
    }

    private static long rssKiB(long pid) throws Exception {
        for (String line : Files.readAllLines(Path.of("/proc", Long.toString(pid), "status"))) {
            if (line.startsWith("VmRSS:")) {
                return Long.parseLong(line.replaceAll("[^0-9]", ""));
            }
        }
        return -1;
    }

    private void row(String a, String b, String c, String d, String e, String f) {
        table.append(String.format("| %s | %s | %s | %s | %s | %s |%n", a, b, c, d, e, f));
    }
}
