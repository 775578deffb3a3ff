package dev.sfd.sampler;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.equalTo;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.sfd.api.v1.GenerateRequest;
import dev.sfd.api.v1.GenerateResponse;
import dev.sfd.api.v1.GenerateStreamResponse;
import dev.sfd.api.v1.ModelInfoRequest;
import dev.sfd.api.v1.ModelInfoResponse;
import dev.sfd.api.v1.OutputFormat;
import dev.sfd.api.v1.PinRequest;
import dev.sfd.api.v1.RollbackRequest;
import dev.sfd.api.v1.UnpinRequest;
import dev.sfd.core.distill.StudentCheckpoint;
import dev.sfd.core.distill.StudentMetadata;
import dev.sfd.core.distill.StudentSample;
import dev.sfd.core.distill.StudentSampler;
import dev.sfd.core.onnx.OnnxModel;
import dev.sfd.core.onnx.SessionConfig;
import dev.sfd.stack.SharedLocalStack;
import grpc.health.v1.HealthGrpc;
import grpc.health.v1.HealthOuterClass.HealthCheckRequest;
import grpc.health.v1.HealthOuterClass.HealthCheckResponse.ServingStatus;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.grpc.reflection.v1.ServerReflectionGrpc;
import io.grpc.reflection.v1.ServerReflectionRequest;
import io.grpc.reflection.v1.ServerReflectionResponse;
import io.grpc.reflection.v1.ServiceResponse;
import io.grpc.stub.StreamObserver;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashSet;
import java.util.Iterator;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.TestMethodOrder;

/**
 * The service on the real local stack (Kafka + S3), called by a real grpc-java client: start-up
 * from the store, health and reflection, generation equal to in-process sampling, every error
 * class, hot reload under continuous load, corrupt checkpoints refused, pin and rollback.
 */
@QuarkusTest
@QuarkusTestResource(value = SamplerTestStack.class, restrictToAnnotatedClass = true)
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class SamplerServiceTest {

    private static final String STUDENT = "sampler-it";

    private GrpcClients clients;
    private TestCheckpoints checkpoints;

    @BeforeAll
    void connect() {
        clients = new GrpcClients();
        checkpoints = new TestCheckpoints(SharedLocalStack.get());
    }

    @AfterAll
    void disconnect() throws Exception {
        clients.close();
        checkpoints.close();
    }

    private long servedVersion() {
        return clients.timed().modelInfo(ModelInfoRequest.getDefaultInstance()).getModel().getVersion();
    }

    private static GenerateRequest.Builder request() {
        return GenerateRequest.newBuilder().setLabel(1).setSeed(42).setCount(2)
                .setOutput(OutputFormat.OUTPUT_FORMAT_TENSOR);
    }

    @Test
    @Order(1)
    void startsWithTheCheckpointAlreadyInTheStoreAndReportsReady() throws Exception {
        ModelInfoResponse info = clients.awaitInfo(i -> i.getModel().getVersion() >= 1, "v1 from the store");
        assertEquals(STUDENT, info.getModel().getStudent());
        assertEquals("mixture2d", info.getDataset());
        assertEquals(List.of(3, 5), info.getTrainedStepsList());
        assertEquals(List.of(2, 4), info.getTrainedNfeList());
        assertTrue(info.getAnalyticalFirstStep());
        given().when().get("/q/health/ready").then().statusCode(200).body("status", equalTo("UP"))
                .body("checks.find { it.name == 'sampler model' }.status", equalTo("UP"))
                .body("checks.find { it.name == 'object store' }.status", equalTo("UP"));
        HealthGrpc.HealthBlockingStub health = HealthGrpc.newBlockingStub(clients.channel)
                .withDeadlineAfter(30, TimeUnit.SECONDS);
        assertEquals(ServingStatus.SERVING, health.check(HealthCheckRequest.newBuilder()
                .setService("sfd.v1.Sampler").build()).getStatus());
    }

    @Test
    @Order(2)
    void reflectionListsTheServices() throws Exception {
        List<String> services = new ArrayList<>();
        CountDownLatch done = new CountDownLatch(1);
        StreamObserver<ServerReflectionRequest> out = ServerReflectionGrpc.newStub(clients.channel)
                .withDeadlineAfter(30, TimeUnit.SECONDS).serverReflectionInfo(new StreamObserver<>() {
                    @Override
                    public void onNext(ServerReflectionResponse r) {
                        r.getListServicesResponse().getServiceList().stream().map(ServiceResponse::getName)
                                .forEach(services::add);
                    }

                    @Override
                    public void onError(Throwable t) {
                        done.countDown();
                    }

                    @Override
                    public void onCompleted() {
                        done.countDown();
                    }
                });
        out.onNext(ServerReflectionRequest.newBuilder().setListServices("").build());
        out.onCompleted();
        assertTrue(done.await(30, TimeUnit.SECONDS));
        assertTrue(services.containsAll(List.of("sfd.v1.Sampler", "sfd.v1.SamplerAdmin", "grpc.health.v1.Health")),
                "reflection lists " + services);
    }

    @Test
    @Order(3)
    void generateGivesTheSamplesOfInProcessSamplingForTheSameSeeds() throws Exception {
        GenerateResponse r = clients.timed().generate(GenerateRequest.newBuilder().setPrompt("the north mode")
                .addSeeds(11).addSeeds(12).addSeeds(13).setNfe(2).setOutput(OutputFormat.OUTPUT_FORMAT_TENSOR).build());
        assertEquals(3, r.getSamplesCount());
        assertEquals(3, r.getSteps());
        assertEquals(2, r.getNfe());
        assertTrue(r.getTrained());
        assertEquals(1.0, r.getGuidance());
        assertTrue(r.getModel().getVersion() >= 1);
        assertTrue(r.getTimings().getBatchSize() >= 3);
        byte[] onnx = TestCheckpoints.mixtureStudent();
        OnnxModel model = OnnxModel.parse("student", onnx);
        try (StudentSampler alone = new StudentSampler(new StudentCheckpoint(model, StudentMetadata.of(model), ""),
                SessionConfig.cpu(1))) {
            StudentSample expected = alone.sample(new long[] {11, 12, 13}, new int[] {r.getLabel(), r.getLabel(),
                    r.getLabel()}, 3, 1.0);
            assertArrayEquals(expected.timestamps(), r.getTimestampsList().stream().mapToDouble(Double::doubleValue)
                    .toArray());
            for (int i = 0; i < 3; i++) {
                assertEquals(11 + i, r.getSamples(i).getSeed());
                assertEquals(List.of(2L), r.getSamples(i).getTensor().getShapeList());
                float[] got = new float[2];
                for (int k = 0; k < 2; k++) {
                    got[k] = r.getSamples(i).getTensor().getValues(k);
                }
                assertArrayEquals(expected.samples().sample(i), got, 1e-5f, "sample " + i);
            }
        }
        Iterator<GenerateStreamResponse> stream = clients.timed().generateStream(request().setCount(3).build());
        Set<Integer> indices = new HashSet<>();
        Set<Long> seeds = new HashSet<>();
        stream.forEachRemaining(m -> {
            indices.add(m.getSample().getIndex());
            seeds.add(m.getSample().getSeed());
        });
        assertEquals(Set.of(0, 1, 2), indices);
        assertEquals(Set.of(42L, 43L, 44L), seeds);
    }

    @Test
    @Order(4)
    void badArgumentsAreInvalidArgumentNamingTheField() {
        clients.assertStatus(Status.Code.INVALID_ARGUMENT, "steps:", request().setSteps(0).build());
        clients.assertStatus(Status.Code.INVALID_ARGUMENT, "steps:", request().setSteps(100_000).build());
        clients.assertStatus(Status.Code.INVALID_ARGUMENT, "nfe:", request().setNfe(-3).build());
        clients.assertStatus(Status.Code.INVALID_ARGUMENT, "guidance:", request().setGuidance(Double.NaN).build());
        clients.assertStatus(Status.Code.INVALID_ARGUMENT, "guidance:",
                request().setGuidance(Double.POSITIVE_INFINITY).build());
        clients.assertStatus(Status.Code.INVALID_ARGUMENT, "guidance:", request().setGuidance(1e6).build());
        clients.assertStatus(Status.Code.INVALID_ARGUMENT, "count:", request().setCount(100_000).build());
        clients.assertStatus(Status.Code.INVALID_ARGUMENT, "prompt:", request().setPrompt("").build());
        clients.assertStatus(Status.Code.INVALID_ARGUMENT, "prompt:", request().setPrompt("zebra banana").build());
        clients.assertStatus(Status.Code.INVALID_ARGUMENT, "label:", request().setLabel(999).build());
        clients.assertStatus(Status.Code.INVALID_ARGUMENT, "output:",
                request().setOutput(OutputFormat.OUTPUT_FORMAT_PNG).build());
        StatusRuntimeException stream = org.junit.jupiter.api.Assertions.assertThrows(StatusRuntimeException.class,
                () -> clients.timed().generateStream(request().setSteps(0).build()).forEachRemaining(m -> { }));
        assertEquals(Status.Code.INVALID_ARGUMENT, stream.getStatus().getCode());
    }

    @Test
    @Order(5)
    void aContinuousClientSeesNoFailureWhileTenVersionsArePublished() throws Exception {
        long first = servedVersion();
        Set<Long> published = Collections.synchronizedSet(new HashSet<>());
        published.add(first);
        AtomicBoolean stop = new AtomicBoolean();
        ConcurrentLinkedQueue<String> problems = new ConcurrentLinkedQueue<>();
        AtomicInteger ok = new AtomicInteger();
        List<Thread> callers = new ArrayList<>();
        for (int c = 0; c < 3; c++) {
            int id = c;
            Thread t = new Thread(() -> {
                long last = 0;
                int n = 0;
                while (!stop.get() || n < 5) {
                    try {
                        GenerateResponse r = id == 2
                                ? streamAsResponse(request().setSeed(1000L * id + n).build())
                                : clients.timed().generate(request().setSeed(1000L * id + n).build());
                        long v = r.getModel().getVersion();
                        if (!published.contains(v)) {
                            problems.add("caller " + id + " got unknown version " + v);
                        }
                        if (v < last) {
                            problems.add("caller " + id + " went back from v" + last + " to v" + v);
                        }
                        last = v;
                        ok.incrementAndGet();
                    } catch (RuntimeException e) {
                        problems.add("caller " + id + " failed: " + e);
                    }
                    n++;
                }
            });
            t.start();
            callers.add(t);
        }
        long last = first;
        for (int i = 1; i <= 10; i++) {
            long v = first + i;
            published.add(v); // announced before the event can arrive
            checkpoints.publish(STUDENT, v, TestCheckpoints.mixtureStudent());
            last = v;
            Thread.sleep(150);
        }
        long target = last;
        clients.awaitInfo(i -> i.getModel().getVersion() == target, "v" + target + " serving");
        stop.set(true);
        for (Thread t : callers) {
            t.join(120_000);
        }
        assertTrue(problems.isEmpty(), "problems: " + problems);
        assertTrue(ok.get() >= 15, "calls made: " + ok.get());
        given().when().get("/q/metrics").then().statusCode(200)
                .body(org.hamcrest.Matchers.containsString("sfd_sampler_event_to_serving_seconds_count"))
                .body(org.hamcrest.Matchers.containsString("sfd_sampler_batch_size"))
                .body(org.hamcrest.Matchers.containsString("sfd_sampler_model_version"));
        given().when().get("/q/health/ready").then().statusCode(200);
    }

    /** Streams a request and gathers it into the shape of a Generate response (version checks only). */
    private GenerateResponse streamAsResponse(GenerateRequest request) {
        GenerateResponse.Builder b = GenerateResponse.newBuilder();
        long[] version = {Long.MAX_VALUE};
        clients.timed().generateStream(request).forEachRemaining(m -> {
            version[0] = Math.min(version[0], m.getModel().getVersion());
            b.setModel(m.getModel().toBuilder().setVersion(version[0]));
        });
        return b.build();
    }

    @Test
    @Order(6)
    void corruptCheckpointsAreRefusedWhileTheOldModelServes() throws Exception {
        long good = servedVersion();
        checkpoints.publishBadSha(STUDENT, good + 1, TestCheckpoints.mixtureStudent());
        byte[] onnx = TestCheckpoints.mixtureStudent();
        checkpoints.publishRaw(STUDENT, good + 2, java.util.Arrays.copyOf(onnx, onnx.length / 3));
        checkpoints.publishRaw(STUDENT, good + 3, TestCheckpoints.shapesStudent());
        ModelInfoResponse info = clients.awaitInfo(i -> i.getRefusalsList().stream()
                .anyMatch(r -> r.getVersion() == good + 3), "v" + (good + 3) + " refused");
        assertEquals(good, info.getModel().getVersion(), "the old model still serves");
        List<Long> refused = info.getRefusalsList().stream().map(dev.sfd.api.v1.Refusal::getVersion).toList();
        assertTrue(refused.containsAll(List.of(good + 1, good + 2, good + 3)), "refused " + refused);
        String reasons = info.getRefusalsList().toString();
        assertTrue(reasons.contains("checksum") && reasons.contains("contract"), reasons);
        assertEquals(good, clients.timed().generate(request().build()).getModel().getVersion());
        given().when().get("/q/metrics").then().body(org.hamcrest.Matchers.containsString(
                "sfd_sampler_reloads_total{result=\"refused\""));

        checkpoints.publish(STUDENT, good + 4, TestCheckpoints.mixtureStudent());
        clients.awaitInfo(i -> i.getModel().getVersion() == good + 4, "v" + (good + 4) + " after the refusals");
    }

    @Test
    @Order(7)
    void pinRollbackAndUnpinThroughTheAdminApi() throws Exception {
        long now = servedVersion();
        ModelInfoResponse pinned = clients.admin.withDeadlineAfter(60, TimeUnit.SECONDS)
                .pin(PinRequest.newBuilder().setVersion(1).build());
        assertEquals(1, pinned.getModel().getVersion());
        assertEquals(1, pinned.getPinnedVersion());
        assertEquals(1, clients.timed().generate(request().build()).getModel().getVersion());
        checkpoints.publish(STUDENT, now + 1, TestCheckpoints.mixtureStudent());
        Thread.sleep(1000); // the event arrives, and is ignored while pinned
        assertEquals(1, servedVersion());

        StatusRuntimeException missing = org.junit.jupiter.api.Assertions.assertThrows(StatusRuntimeException.class,
                () -> clients.admin.pin(PinRequest.newBuilder().setVersion(9999).build()));
        assertEquals(Status.Code.NOT_FOUND, missing.getStatus().getCode());
        StatusRuntimeException refused = org.junit.jupiter.api.Assertions.assertThrows(StatusRuntimeException.class,
                () -> clients.admin.pin(PinRequest.newBuilder().setVersion(now - 1).build()));
        assertEquals(Status.Code.FAILED_PRECONDITION, refused.getStatus().getCode(), "v" + (now - 1)
                + " was refused (checksum)");

        ModelInfoResponse unpinned = clients.admin.withDeadlineAfter(60, TimeUnit.SECONDS)
                .unpin(UnpinRequest.getDefaultInstance());
        assertEquals(now + 1, unpinned.getModel().getVersion());
        assertEquals(0, unpinned.getPinnedVersion());
        ModelInfoResponse back = clients.admin.withDeadlineAfter(60, TimeUnit.SECONDS)
                .rollback(RollbackRequest.getDefaultInstance());
        assertEquals(1, back.getModel().getVersion(), "back to the version served before");
        assertEquals(1, back.getPinnedVersion());
        assertFalse(back.getHistoryList().isEmpty());
        clients.admin.withDeadlineAfter(60, TimeUnit.SECONDS).unpin(UnpinRequest.getDefaultInstance());
        assertEquals(now + 1, servedVersion());
    }

    @Test
    @Order(8)
    void countZeroIsTheDocumentedDefaultOfOne() {
        // issue 27, defect 3: proto3 cannot tell 0 from unset, and the proto says "default 1"
        GenerateResponse r = clients.timed().generate(GenerateRequest.newBuilder().setLabel(0).setSeed(5)
                .setOutput(OutputFormat.OUTPUT_FORMAT_TENSOR).build());
        assertEquals(1, r.getSamplesCount());
        assertEquals(5, r.getSamples(0).getSeed());
        GenerateResponse unseeded = clients.timed().generate(GenerateRequest.getDefaultInstance());
        assertEquals(1, unseeded.getSamplesCount());
    }

    @Test
    @Order(9)
    void aPromptOverTheTeachersLimitIsInvalidArgumentNamingFieldAndLimit() {
        // issue 27, defect 4: a 1 MB prompt was accepted; the teacher refuses more than 200 characters
        String huge = "north ".repeat((1 << 20) / 6);
        StatusRuntimeException e = org.junit.jupiter.api.Assertions.assertThrows(StatusRuntimeException.class,
                () -> clients.timed().generate(request().setPrompt(huge).build()));
        assertEquals(Status.Code.INVALID_ARGUMENT, e.getStatus().getCode());
        String message = e.getStatus().getDescription();
        assertTrue(message.startsWith("prompt:") && message.contains(Integer.toString(
                dev.sfd.core.prompt.PromptRequest.MAX_PROMPT_CHARS)), message);
        String over = "north" + " ".repeat(dev.sfd.core.prompt.PromptRequest.MAX_PROMPT_CHARS - 4);
        clients.assertStatus(Status.Code.INVALID_ARGUMENT, "prompt:", request().setPrompt(over).build());
        String limit = "north" + " ".repeat(dev.sfd.core.prompt.PromptRequest.MAX_PROMPT_CHARS - 5);
        assertEquals(2, clients.timed().generate(request().clearLabel().setPrompt(limit).build()).getSamplesCount(),
                "exactly the limit is accepted");
    }

    @Test
    @Order(10)
    void seedsThatWouldWrapPastTheUint64MaximumAreRefused() {
        // issue 27, defect 6: count 2 from seed 2^64-1 returned seeds ...615, 0
        long max = -1L; // 18446744073709551615 as uint64
        StatusRuntimeException e = org.junit.jupiter.api.Assertions.assertThrows(StatusRuntimeException.class,
                () -> clients.timed().generate(request().setSeed(max).setCount(2).build()));
        assertEquals(Status.Code.INVALID_ARGUMENT, e.getStatus().getCode());
        assertTrue(e.getStatus().getDescription().startsWith("seed:")
                && e.getStatus().getDescription().contains("18446744073709551614"), e.getStatus().getDescription());
        GenerateResponse edge = clients.timed().generate(request().setSeed(max - 1).setCount(2).build());
        assertEquals(List.of("18446744073709551614", "18446744073709551615"), edge.getSamplesList().stream()
                .map(x -> Long.toUnsignedString(x.getSeed())).toList());
        assertEquals(1, clients.timed().generate(request().setSeed(max).setCount(1).build()).getSamplesCount());
    }

    @Test
    @Order(11)
    void healthCheckOfAnUnknownServiceIsNotFound() {
        // issue 27, defect 5: the standard protocol answers NOT_FOUND, not OK with status UNKNOWN
        HealthGrpc.HealthBlockingStub health = HealthGrpc.newBlockingStub(clients.channel)
                .withDeadlineAfter(30, TimeUnit.SECONDS);
        StatusRuntimeException e = org.junit.jupiter.api.Assertions.assertThrows(StatusRuntimeException.class,
                () -> health.check(HealthCheckRequest.newBuilder().setService("no.such.Service").build()));
        assertEquals(Status.Code.NOT_FOUND, e.getStatus().getCode(), e.getStatus().toString());
        assertTrue(e.getStatus().getDescription().contains("no.such.Service"), e.getStatus().getDescription());
        assertEquals(ServingStatus.SERVING, health.check(HealthCheckRequest.newBuilder()
                .setService("sfd.v1.Sampler").build()).getStatus());
        assertEquals(ServingStatus.SERVING, health.check(HealthCheckRequest.getDefaultInstance()).getStatus(),
                "the server as a whole");
    }

    @Test
    @Order(12)
    void theSamplerLeavesNoConsumerGroupBehind() throws Exception {
        // issue 27, defect 11: every start left a group sfd-sampler-<uuid>; events still reach it (test 5)
        try (org.apache.kafka.clients.admin.Admin admin = org.apache.kafka.clients.admin.Admin.create(java.util.Map.of(
                "bootstrap.servers", SharedLocalStack.get().bootstrapServers()))) {
            List<String> groups = admin.listGroups().all().get(30, TimeUnit.SECONDS).stream()
                    .map(org.apache.kafka.clients.admin.GroupListing::groupId).toList();
            assertTrue(groups.stream().noneMatch(g -> g.startsWith(dev.sfd.contract.ConsumerGroups.SAMPLER_PREFIX)),
                    "consumer groups: " + groups);
        }
    }

    @Test
    @Order(13)
    void aValidCheckpointUnderARefusedVersionNumberIsServed() throws Exception {
        // issue 27, defect 2: once v18 was refused (sha256 mismatch), a later valid v18 was never served
        long now = servedVersion();
        long next = now + 1;
        checkpoints.publishBadSha(STUDENT, next, TestCheckpoints.mixtureStudent());
        clients.awaitInfo(i -> i.getRefusalsList().stream().anyMatch(r -> r.getVersion() == next),
                "v" + next + " refused");
        assertEquals(now, servedVersion());
        checkpoints.overwrite(STUDENT, next, TestCheckpoints.mixtureStudent()); // the same number, valid bytes
        clients.awaitInfo(i -> i.getModel().getVersion() == next, "the valid v" + next + " serving");
    }

    @Test
    @Order(14)
    void rawOutputIsTheSameFloatsAsLittleEndianBytes() {
        GenerateResponse values = clients.timed().generate(request().build());
        GenerateResponse raw = clients.timed().generate(request().setOutput(OutputFormat.OUTPUT_FORMAT_RAW).build());
        assertEquals(values.getSamplesCount(), raw.getSamplesCount());
        for (int i = 0; i < raw.getSamplesCount(); i++) {
            dev.sfd.api.v1.Tensor t = raw.getSamples(i).getTensor();
            assertEquals(values.getSamples(i).getTensor().getShapeList(), t.getShapeList());
            assertEquals(0, t.getValuesCount(), "raw: the values are in the bytes only");
            java.nio.FloatBuffer f = t.getRaw().asReadOnlyByteBuffer().order(java.nio.ByteOrder.LITTLE_ENDIAN)
                    .asFloatBuffer();
            float[] got = new float[f.remaining()];
            f.get(got);
            float[] want = new float[values.getSamples(i).getTensor().getValuesCount()];
            for (int k = 0; k < want.length; k++) {
                want[k] = values.getSamples(i).getTensor().getValues(k);
            }
            assertArrayEquals(want, got);
        }
        assertTrue(raw.getTimings().getModelMs() > 0 && raw.getTimings().getBatchSize() >= 2, raw.getTimings()
                .toString());
    }
}
