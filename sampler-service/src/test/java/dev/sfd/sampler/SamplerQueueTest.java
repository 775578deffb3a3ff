package dev.sfd.sampler;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.equalTo;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.sfd.api.v1.GenerateRequest;
import dev.sfd.api.v1.GenerateResponse;
import dev.sfd.api.v1.ModelInfoRequest;
import dev.sfd.api.v1.OutputFormat;
import dev.sfd.stack.SharedLocalStack;
import grpc.health.v1.HealthGrpc;
import grpc.health.v1.HealthOuterClass.HealthCheckRequest;
import grpc.health.v1.HealthOuterClass.HealthCheckResponse.ServingStatus;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/**
 * UNAVAILABLE before any model, the first model arriving after start-up, RESOURCE_EXHAUSTED
 * when the queue is full and DEADLINE_EXCEEDED with the queued work dropped; real stack, real client.
 */
@QuarkusTest
@TestProfile(QueueAndStartupProfile.class)
class SamplerQueueTest {

    private static GenerateRequest request(int count) {
        return GenerateRequest.newBuilder().setLabel(0).setSeed(5).setCount(count)
                .setOutput(OutputFormat.OUTPUT_FORMAT_TENSOR).build();
    }

    private static double metric(String pattern) {
        Matcher m = Pattern.compile(pattern + " ([0-9.eE+-]+)").matcher(given().get("/q/metrics").asString());
        return m.find() ? Double.parseDouble(m.group(1)) : -1;
    }

    private static void awaitMetric(String pattern, double value) throws InterruptedException {
        long end = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
        while (metric(pattern) != value) {
            assertTrue(System.nanoTime() < end, "metric " + pattern + " never reached " + value + ": " + metric(pattern));
            Thread.sleep(50);
        }
    }

    @Test
    void noModelThenFirstModelThenFullQueueThenDeadline() throws Exception {
        try (GrpcClients clients = new GrpcClients(); TestCheckpoints checkpoints =
                new TestCheckpoints(SharedLocalStack.get())) {
            // 1. nothing in the store: UNAVAILABLE, not ready, gRPC health NOT_SERVING
            clients.assertStatus(Status.Code.UNAVAILABLE, null, request(1));
            StatusRuntimeException info = assertThrows(StatusRuntimeException.class,
                    () -> clients.timed().modelInfo(ModelInfoRequest.getDefaultInstance()));
            assertEquals(Status.Code.UNAVAILABLE, info.getStatus().getCode());
            given().get("/q/health/ready").then().statusCode(503)
                    .body("checks.find { it.name == 'sampler model' }.status", equalTo("DOWN"));
            HealthGrpc.HealthBlockingStub health = HealthGrpc.newBlockingStub(clients.channel)
                    .withDeadlineAfter(30, TimeUnit.SECONDS);
            assertEquals(ServingStatus.NOT_SERVING, health.check(HealthCheckRequest.newBuilder()
                    .setService("sfd.v1.Sampler").build()).getStatus());

            // 2. the first checkpoint arrives after start-up (event, or the poll as a fallback)
            checkpoints.publish(QueueAndStartupProfile.STUDENT, 1, TestCheckpoints.mixtureStudent());
            clients.awaitInfo(i -> i.getModel().getVersion() == 1, "v1 after start-up");
            given().get("/q/health/ready").then().statusCode(200);
            assertEquals(ServingStatus.SERVING, HealthGrpc.newBlockingStub(clients.channel)
                    .withDeadlineAfter(30, TimeUnit.SECONDS).check(HealthCheckRequest.newBuilder()
                            .setService("sfd.v1.Sampler").build()).getStatus());

            // 3. eight samples wait for company (5 s, batch of 64): the queue of 8 is full
            CompletableFuture<GenerateResponse> waiting = clients.generateAsync(request(8), 120);
            awaitMetric("sfd_sampler_queue_samples", 8.0);
            clients.assertStatus(Status.Code.RESOURCE_EXHAUSTED, null, request(1));
            assertEquals(8, waiting.get(120, TimeUnit.SECONDS).getSamplesCount(), "the queued request still runs");

            // 4. a deadline shorter than the queue delay: DEADLINE_EXCEEDED, and the server drops the work
            StatusRuntimeException late = assertThrows(StatusRuntimeException.class,
                    () -> clients.sampler.withDeadlineAfter(300, TimeUnit.MILLISECONDS).generate(request(1)));
            assertEquals(Status.Code.DEADLINE_EXCEEDED, late.getStatus().getCode());
            awaitMetric("sfd_sampler_queue_samples", 0.0);
            String metrics = given().get("/q/metrics").asString();
            assertTrue(metrics.matches("(?s).*sfd_sampler_request_seconds_count\\{[^}]*method=\"Generate\""
                    + "[^}]*status=\"(CANCELLED|DEADLINE_EXCEEDED)\"[^}]*} 1\\.0.*")
                    || metrics.matches("(?s).*sfd_sampler_request_seconds_count\\{[^}]*status=\"(CANCELLED|DEADLINE_EXCEEDED)\""
                    + "[^}]*} 1\\.0.*"), "the server recorded the dropped request");
            assertEquals(1.0, metric("sfd_sampler_batch_size_count"), "only the 8-sample request was run");
        }
    }
}
