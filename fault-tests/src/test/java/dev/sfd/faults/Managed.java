package dev.sfd.faults;

import dev.sfd.stack.ServiceProcess;
import java.io.IOException;
import java.util.Map;
import java.util.function.Supplier;

/**
 * One service instance as an orchestrator sees it: its settings, the process running now, and
 * restarts. {@link FaultStack}'s supervisor restarts it when its liveness check stays DOWN (what
 * Kubernetes' liveness probe does with the Helm chart's settings); the test kills and restarts
 * it on purpose with {@link #killAndRestart()}.
 */
final class Managed {

    interface Starter {
        ServiceProcess start() throws IOException;
    }

    private final String name;
    private final Starter starter;
    private volatile ServiceProcess current;
    private int livenessRestarts;
    private boolean stopped;

    Managed(String name, Starter starter) throws IOException {
        this.name = name;
        this.starter = starter;
        this.current = starter.start();
    }

    String name() {
        return name;
    }

    ServiceProcess current() {
        return current;
    }

    /** SIGKILL (a crash), then a new process with the same settings. */
    synchronized ServiceProcess killAndRestart() throws IOException {
        current.kill();
        current = starter.start();
        return current;
    }

    /** Called by the supervisor: a graceful stop and a new process (a liveness-probe restart). */
    synchronized void restartForLiveness() throws IOException {
        if (stopped) {
            return;
        }
        livenessRestarts++;
        current.close();
        current = starter.start();
    }

    synchronized int livenessRestarts() {
        return livenessRestarts;
    }

    /** Leaves (SIGTERM) and is not restarted again. */
    synchronized void stop() {
        stopped = true;
        current.close();
    }

    synchronized boolean stopped() {
        return stopped;
    }

    static Supplier<String> describe(Map<String, Managed> all) {
        return () -> all.toString();
    }
}
