package dev.sfd.sampler;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.sfd.api.v1.GenerateRequest;
import dev.sfd.stack.LocalStack;
import dev.sfd.stack.ProcessMemory;
import dev.sfd.stack.SharedLocalStack;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * Old sessions are freed: the packaged service, as a child JVM with a pre-touched fixed heap (so
 * heap growth does not show as resident memory), serves the shapes student while 20 new versions
 * are published; its resident memory after 20 reloads stays within 10% of that after 2.
 */
class SamplerMemoryIT {

    private static final String STUDENT = "memory-it";

    @Test
    void residentMemoryDoesNotGrowAcrossReloads() throws Exception {
        LocalStack stack = SharedLocalStack.get();
        byte[] onnx = TestCheckpoints.shapesStudent();
        try (TestCheckpoints checkpoints = new TestCheckpoints(stack)) {
            checkpoints.store().put(dev.sfd.pipeline.sampler.StarterStudent.draft(STUDENT, 1, onnx), onnx);
            try (ServiceProcess service = ServiceProcess.start(stack, "memory", Map.of("sfd.sampler.student", STUDENT,
                    "sfd.sampler.max-batch", "8", "sfd.sampler.poll-interval", "2s"),
                    List.of("-Xms256m", "-Xmx256m", "-XX:+AlwaysPreTouch", "-XX:MaxMetaspaceSize=256m"));
                 GrpcClients clients = new GrpcClients(service.grpcPort)) {
                long afterTwo = -1;
                for (long v = 2; v <= 21; v++) {
                    checkpoints.publish(STUDENT, v, onnx);
                    long want = v;
                    clients.awaitInfo(i -> i.getModel().getVersion() == want, "v" + want);
                    for (int c = 0; c < 5; c++) {
                        assertEquals(8, clients.timed().generate(GenerateRequest.newBuilder().setPrompt("a blue ring")
                                .setSeed(c * 8L).setCount(8).build()).getSamplesCount());
                    }
                    if (v == 3) {
                        afterTwo = ProcessMemory.rssMiB(service.pid());
                    }
                }
                long afterTwenty = ProcessMemory.rssMiB(service.pid());
                System.out.printf("sampler RSS: %d MiB after 2 reloads, %d MiB after 20 reloads%n", afterTwo, afterTwenty);
                assertTrue(afterTwo > 0, "RSS readable from /proc");
                assertTrue(afterTwenty <= afterTwo * 1.10, "RSS grew from " + afterTwo + " MiB after 2 reloads to "
                        + afterTwenty + " MiB after 20 (more than 10%): old sessions are not freed");
                assertTrue(service.metrics().contains("sfd_sampler_reloads_total{result=\"ok\"} 21.0"),
                        "21 loads counted");
            }
        }
    }
}
