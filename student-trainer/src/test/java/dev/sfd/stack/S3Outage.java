package dev.sfd.stack;

/**
 * Test helper: stops the shared stack's S3 server (SIGKILL, like a crash) and starts a new one on
 * the same port and data directory, so what was stored before the outage is there again after it.
 * The new server stops with the test JVM.
 */
public final class S3Outage {

    private S3Outage() {
    }

    public static void stop(LocalStack stack) {
        ProcessHandle.of(stack.endpoints().s3Pid()).ifPresent(p -> {
            p.destroyForcibly();
            p.onExit().join();
        });
    }

    public static void start(LocalStack stack) throws Exception {
        StackSettings s = stack.settings();
        for (int attempt = 1; ; attempt++) { // the killed server's port may linger a moment
            try {
                S3Server.start(s.dataDir().toAbsolutePath().resolve("s3"), s.s3Port(), s.accessKey(), s.secretKey(),
                        false);
                break;
            } catch (PortInUseException e) {
                if (attempt > 90) {
                    throw e;
                }
                Thread.sleep(1000);
            }
        }
        StackProbe.checkS3(stack.endpoints().s3Endpoint(), s.accessKey(), s.secretKey(), s.bucket());
    }
}
