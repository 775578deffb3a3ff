package dev.sfd.sampler;

import dev.sfd.api.v1.GenerateRequest;
import dev.sfd.api.v1.ModelInfoRequest;
import dev.sfd.api.v1.ModelInfoResponse;
import dev.sfd.api.v1.SamplerAdminGrpc;
import dev.sfd.api.v1.SamplerGrpc;
import io.grpc.ManagedChannel;
import io.grpc.ManagedChannelBuilder;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

/** A real grpc-java client of the service under test (plain text, loopback). */
final class GrpcClients implements AutoCloseable {

    final ManagedChannel channel;
    final SamplerGrpc.SamplerBlockingStub sampler;
    final SamplerGrpc.SamplerStub async;
    final SamplerAdminGrpc.SamplerAdminBlockingStub admin;

    GrpcClients() {
        this(SamplerTestStack.grpcPort);
    }

    GrpcClients(int port) {
        channel = ManagedChannelBuilder.forAddress("127.0.0.1", port).usePlaintext().build();
        sampler = SamplerGrpc.newBlockingStub(channel);
        async = SamplerGrpc.newStub(channel);
        admin = SamplerAdminGrpc.newBlockingStub(channel);
    }

    SamplerGrpc.SamplerBlockingStub timed() {
        return sampler.withDeadlineAfter(60, TimeUnit.SECONDS);
    }

    /** {@code Generate} on the async stub with a deadline; the future completes with its one response or error. */
    java.util.concurrent.CompletableFuture<dev.sfd.api.v1.GenerateResponse> generateAsync(
            dev.sfd.api.v1.GenerateRequest request, long deadlineSeconds) {
        var into = new java.util.concurrent.CompletableFuture<dev.sfd.api.v1.GenerateResponse>();
        async.withDeadlineAfter(deadlineSeconds, TimeUnit.SECONDS).generate(request,
                new io.grpc.stub.StreamObserver<>() {
                    @Override
                    public void onNext(dev.sfd.api.v1.GenerateResponse r) {
                        into.complete(r);
                    }

                    @Override
                    public void onError(Throwable t) {
                        into.completeExceptionally(t);
                    }

                    @Override
                    public void onCompleted() {
                    }
                });
        return into;
    }

    /** Polls ModelInfo until {@code condition} holds (generous: the machine is shared). */
    ModelInfoResponse awaitInfo(Predicate<ModelInfoResponse> condition, String what) throws InterruptedException {
        long end = System.nanoTime() + Duration.ofSeconds(90).toNanos();
        ModelInfoResponse last = null;
        String lastError = "";
        while (System.nanoTime() < end) {
            try {
                last = timed().modelInfo(ModelInfoRequest.getDefaultInstance());
                if (condition.test(last)) {
                    return last;
                }
            } catch (StatusRuntimeException e) {
                lastError = e.getStatus().toString();
            }
            Thread.sleep(100);
        }
        fail("timed out waiting for " + what + "; last ModelInfo " + last + " " + lastError);
        return null;
    }

    /** Asserts {@code request} fails with {@code code} and a message starting with {@code prefix}. */
    void assertStatus(Status.Code code, String prefix, GenerateRequest request) {
        StatusRuntimeException e = assertThrows(StatusRuntimeException.class, () -> timed().generate(request),
                () -> "expected " + code + " for " + request);
        assertEquals(code, e.getStatus().getCode(), e.getStatus().toString());
        if (prefix != null) {
            assertTrue(e.getStatus().getDescription().startsWith(prefix), e.getStatus().getDescription());
        }
    }

    @Override
    public void close() throws InterruptedException {
        channel.shutdownNow().awaitTermination(10, TimeUnit.SECONDS);
    }
}
