package dev.sfd.cli.demo;

import dev.sfd.api.v1.GenerateRequest;
import dev.sfd.api.v1.GenerateResponse;
import dev.sfd.api.v1.OutputFormat;
import dev.sfd.cli.services.SamplerClient;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * A gRPC client calling {@code Generate} back to back while the sampler hot-swaps students, as a
 * user's traffic would: counts calls per served version, failed calls with their status, and
 * whether the versions ever went backwards. {@code UNAVAILABLE} before the first model is loaded is
 * counted apart (there is nothing to serve yet), not as a failure.
 */
public final class SamplerLoad implements Runnable, AutoCloseable {

    private final SamplerClient client;
    private final GenerateRequest request;
    private final AtomicBoolean running = new AtomicBoolean(true);
    private final Map<Long, Long> callsPerVersion = new TreeMap<>();
    private final List<String> failures = new ArrayList<>();
    private long beforeFirstModel;
    private long lastVersion;
    private boolean backwards;
    private final Thread thread;

    public SamplerLoad(String target, String prompt) {
        this.client = new SamplerClient(target, Duration.ofSeconds(10));
        GenerateRequest.Builder b = GenerateRequest.newBuilder().setCount(4).setSeed(7)
                .setOutput(OutputFormat.OUTPUT_FORMAT_TENSOR);
        if (prompt != null) {
            b.setPrompt(prompt);
        }
        this.request = b.build();
        this.thread = new Thread(this, "sfd-demo-sampler-load");
        thread.setDaemon(true);
        thread.start();
    }

    @Override
    public void run() {
        while (running.get()) {
            try {
                GenerateResponse r = client.generate(request);
                record(r.getModel().getVersion());
            } catch (StatusRuntimeException e) {
                recordFailure(e.getStatus());
            }
            try {
                Thread.sleep(20);
            } catch (InterruptedException e) {
                return;
            }
        }
    }

    private synchronized void record(long version) {
        callsPerVersion.merge(version, 1L, Long::sum);
        if (version < lastVersion) {
            backwards = true;
        }
        lastVersion = version;
    }

    private synchronized void recordFailure(Status status) {
        if (status.getCode() == Status.Code.UNAVAILABLE && callsPerVersion.isEmpty()) {
            beforeFirstModel++; // no model yet: expected until the first checkpoint is served
            return;
        }
        failures.add(status.getCode() + ": " + status.getDescription());
    }

    public synchronized Map<Long, Long> callsPerVersion() {
        return new TreeMap<>(callsPerVersion);
    }

    public synchronized List<String> failures() {
        return List.copyOf(failures);
    }

    public synchronized long servedVersion() {
        return lastVersion;
    }

    public synchronized boolean wentBackwards() {
        return backwards;
    }

    public synchronized long unavailableBeforeFirstModel() {
        return beforeFirstModel;
    }

    public synchronized long calls() {
        return callsPerVersion.values().stream().mapToLong(Long::longValue).sum() + failures.size();
    }

    @Override
    public void close() throws InterruptedException {
        running.set(false);
        thread.join(15_000);
        client.close();
    }
}
