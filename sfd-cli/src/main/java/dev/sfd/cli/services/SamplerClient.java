package dev.sfd.cli.services;

import dev.sfd.api.v1.GenerateRequest;
import dev.sfd.api.v1.GenerateResponse;
import dev.sfd.api.v1.ModelInfoRequest;
import dev.sfd.api.v1.ModelInfoResponse;
import dev.sfd.api.v1.SamplerGrpc;
import io.grpc.ManagedChannel;
import io.grpc.ManagedChannelBuilder;
import java.time.Duration;
import java.util.concurrent.TimeUnit;

/** A plaintext gRPC client of sampler-service's {@code sfd.v1.Sampler}, with a deadline on every call. */
public final class SamplerClient implements AutoCloseable {

    private final ManagedChannel channel;
    private final SamplerGrpc.SamplerBlockingStub stub;
    private final Duration deadline;

    /** @param target {@code host:port}, e.g. {@code 127.0.0.1:9190} */
    public SamplerClient(String target, Duration deadline) {
        this.channel = ManagedChannelBuilder.forTarget(target).usePlaintext()
                .maxInboundMessageSize(64 * 1024 * 1024).build();
        this.stub = SamplerGrpc.newBlockingStub(channel);
        this.deadline = deadline;
    }

    public GenerateResponse generate(GenerateRequest request) {
        return stub.withDeadlineAfter(deadline.toMillis(), TimeUnit.MILLISECONDS).generate(request);
    }

    public ModelInfoResponse modelInfo() {
        return stub.withDeadlineAfter(deadline.toMillis(), TimeUnit.MILLISECONDS)
                .modelInfo(ModelInfoRequest.getDefaultInstance());
    }

    @Override
    public void close() throws InterruptedException {
        channel.shutdown();
        if (!channel.awaitTermination(5, TimeUnit.SECONDS)) {
            channel.shutdownNow();
        }
    }
}
