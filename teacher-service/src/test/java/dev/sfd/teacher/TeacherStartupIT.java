package dev.sfd.teacher;

import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.sfd.stack.LocalStack;
import dev.sfd.stack.LocalStackExtension;
import java.time.Duration;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/** Start-up checks of the packaged service. */
@ExtendWith(LocalStackExtension.class)
class TeacherStartupIT {

    private static final Duration WAIT = ItSupport.WAIT;

    @Test
    void requestingCudaWhereItCannotLoadIsAStartUpErrorNotACpuFallback(LocalStack stack) throws Exception {
        String run = "cuda" + UUID.randomUUID().toString().substring(0, 6);
        Map<String, String> env = ItSupport.TestTopics.create(stack, run).env(stack, "sfd-teacher-" + run);
        env.put("SFD_EXECUTION_PROVIDER", "cuda");
        try (ServiceProcess service = ServiceProcess.start(run, env)) {
            int exit = service.awaitExit(WAIT);
            assertTrue(exit != 0, "exit code " + exit);
            assertTrue(service.log().contains("CUDA execution provider requested"), "the log says why");
        }
    }

}
