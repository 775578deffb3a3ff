package dev.sfd.sampler;

import dev.sfd.stack.LocalStack;
import dev.sfd.stack.SharedLocalStack;
import io.quarkus.test.common.QuarkusTestResourceLifecycleManager;
import java.io.IOException;
import java.net.ServerSocket;
import java.util.HashMap;
import java.util.Map;

/**
 * The real local stack, a free port for the gRPC server, and (unless the test profile says
 * {@code publish=false}) v1 of the test student in the store before the service starts, so the
 * service must find it there at start-up. Arguments: {@code student} (name), {@code dataset}
 * ({@code mixture2d}, {@code shapes} or {@code text2image}: which starter student v1 is; text2image is
 * the fixture pipeline's, see {@link TestCheckpoints#textStudent()}), {@code publish}.
 */
public class SamplerTestStack implements QuarkusTestResourceLifecycleManager {

    static volatile int grpcPort;

    private boolean publish = true;
    private String student = "sampler-it";
    private String dataset = "mixture2d";

    @Override
    public void init(Map<String, String> args) {
        publish = Boolean.parseBoolean(args.getOrDefault("publish", "true"));
        student = args.getOrDefault("student", student);
        dataset = args.getOrDefault("dataset", dataset);
    }

    @Override
    public Map<String, String> start() {
        LocalStack stack = SharedLocalStack.get();
        Map<String, String> config = new HashMap<>(stack.endpoints().serviceConfig());
        if (publish) {
            try (TestCheckpoints checkpoints = new TestCheckpoints(stack)) {
                if (checkpoints.store().latestVersion(student).isEmpty()) {
                    byte[] onnx = switch (dataset) {
                        case "shapes" -> TestCheckpoints.shapesStudent();
                        case "text2image" -> TestCheckpoints.textStudent();
                        default -> TestCheckpoints.mixtureStudent();
                    };
                    checkpoints.store().put(dev.sfd.pipeline.sampler.StarterStudent.draft(student, 1, onnx), onnx);
                }
            } catch (Exception e) {
                throw new IllegalStateException("cannot publish the first test checkpoint: " + e.getMessage(), e);
            }
        }
        grpcPort = freePort();
        config.put("quarkus.grpc.server.test-port", Integer.toString(grpcPort));
        config.put("quarkus.grpc.server.port", Integer.toString(grpcPort));
        config.put("sfd.sampler.student", student);
        return config;
    }

    private static int freePort() {
        try (ServerSocket s = new ServerSocket(0)) {
            return s.getLocalPort();
        } catch (IOException e) {
            throw new IllegalStateException("no free port for the gRPC server", e);
        }
    }

    @Override
    public void stop() {
        // the shared stack stops with the test JVM
    }
}
