package dev.sfd.faults;

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
 * {@code clients} gRPC callers of the sampler, each on its own thread and channel, one Generate
 * call every {@code pauseMillis} (light: the machine is shared). Records every response's version
 * and every failure; {@code UNAVAILABLE} before a client's first answer is "no model yet", counted apart.
 */
final class SamplerClients implements AutoCloseable {

    private final AtomicBoolean running = new AtomicBoolean(true);
    private final List<Thread> threads = new ArrayList<>();
    private final Map<Long, Long> callsPerVersion = new TreeMap<>();
    private final List<String> failures = new ArrayList<>();
    private long beforeFirstModel;
    private boolean backwards;

    SamplerClients(String target, int clients, long pauseMillis) {
        for (int c = 0; c < clients; c++) {
            int id = c;
            Thread t = new Thread(() -> run(target, id, pauseMillis), "fault-sampler-client-" + c);
            t.setDaemon(true);
            threads.add(t);
            t.start();
        }
    }

    private void run(String target, int id, long pauseMillis) {
        GenerateRequest request = GenerateRequest.newBuilder().setPrompt("north").setNfe(2).setSeed(1000L * id)
                .setCount(2).setOutput(OutputFormat.OUTPUT_FORMAT_TENSOR).build();
        long last = 0;
        boolean answered = false;
        try (SamplerClient client = new SamplerClient(target, Duration.ofSeconds(30))) {
            while (running.get()) {
                try {
                    GenerateResponse r = client.generate(request);
                    long v = r.getModel().getVersion();
                    answered = true;
                    synchronized (this) {
                        callsPerVersion.merge(v, 1L, Long::sum);
                        backwards |= v < last;
                    }
                    last = v;
                } catch (StatusRuntimeException e) {
                    synchronized (this) {
                        if (!answered && e.getStatus().getCode() == Status.Code.UNAVAILABLE) {
                            beforeFirstModel++;
                        } else {
                            failures.add("client " + id + ": " + e.getStatus().getCode() + " "
                                    + e.getStatus().getDescription());
                        }
                    }
                }
                Thread.sleep(pauseMillis);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    synchronized Map<Long, Long> callsPerVersion() {
        return new TreeMap<>(callsPerVersion);
    }

    synchronized List<String> failures() {
        return List.copyOf(failures);
    }

    synchronized boolean wentBackwards() {
        return backwards;
    }

    synchronized long beforeFirstModel() {
        return beforeFirstModel;
    }

    synchronized long successes() {
        return callsPerVersion.values().stream().mapToLong(Long::longValue).sum();
    }

    @Override
    public void close() throws InterruptedException {
        running.set(false);
        for (Thread t : threads) {
            t.join(60_000);
        }
    }
}
