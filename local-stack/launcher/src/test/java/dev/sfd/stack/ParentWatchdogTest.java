package dev.sfd.stack;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/** A server child exits by itself when the process that launched it dies, even by SIGKILL. */
class ParentWatchdogTest {

    /** Stands in for a server: runs until stopped. */
    public static final class Forever {
        public static void main(String[] args) throws InterruptedException {
            Thread.sleep(TimeUnit.MINUTES.toMillis(5));
        }
    }

    @Test
    void childStopsWhenItsLauncherIsKilled() throws Exception {
        Process launcher = new ProcessBuilder("sleep", "300").start();
        Process child = new ProcessBuilder(
                Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-cp", System.getProperty("java.class.path"),
                ParentWatchdog.class.getName(), Long.toString(launcher.pid()), Forever.class.getName())
                .redirectErrorStream(true).start();
        try {
            Thread.sleep(1500);
            assertTrue(child.isAlive(), "the child runs while its launcher lives");
            launcher.destroyForcibly().waitFor();
            assertTrue(child.waitFor(30, TimeUnit.SECONDS), "the child exits once its launcher is gone");
            assertEquals(0, child.exitValue());
            String said = new String(child.getInputStream().readAllBytes());
            assertTrue(said.contains("launcher process " + launcher.pid() + " is gone"), said);
        } finally {
            child.destroyForcibly();
            launcher.destroyForcibly();
        }
    }

    @Test
    void aDetachedChildIgnoresItsLauncher() throws Exception {
        Process child = new ProcessBuilder(
                Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-cp", System.getProperty("java.class.path"),
                ParentWatchdog.class.getName(), "0", Forever.class.getName()).start();
        try {
            assertTrue(!child.waitFor(2, TimeUnit.SECONDS), "pid 0 means no watch: the child keeps running");
        } finally {
            child.destroyForcibly();
        }
    }
}
