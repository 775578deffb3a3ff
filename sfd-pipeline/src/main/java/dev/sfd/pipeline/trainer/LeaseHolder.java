package dev.sfd.pipeline.trainer;

import java.net.InetAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.Optional;

/**
 * The process that holds (or held) a writer lease: where its pids mean something (host name, plus
 * the kernel's boot id and the pid namespace, so neither two machines that share a name nor two
 * containers on one kernel are confused), its pid and its process start time. Where pids mean the
 * same (same host name, boot id and pid namespace) this tells whether the holder is
 * {@linkplain #goneReason provably gone}: no process has its pid any more, or the pid now belongs
 * to a process started at another time. A restarted container has a new pid namespace: it cannot
 * tell, and waits for the lease to go stale.
 *
 * @param host         host name
 * @param machineId    {@code <boot_id> <pid namespace>} from /proc, or "" where there is none
 * @param pid          process id, or -1 when unknown
 * @param startedMillis process start time (epoch ms), or 0 when unknown
 */
public record LeaseHolder(String host, String machineId, long pid, long startedMillis) {

    /** Start times of one process read twice differ by clock-tick rounding at most; far less than this. */
    private static final long SAME_START_TOLERANCE_MS = 1000;

    public LeaseHolder {
        host = host == null ? "" : host;
        machineId = machineId == null ? "" : machineId;
    }

    /** This process. */
    public static LeaseHolder current() {
        ProcessHandle self = ProcessHandle.current();
        return new LeaseHolder(hostName(), readMachineId(), self.pid(), startOf(self).orElse(0L));
    }

    /** A holder known only by a host label (tests, or a lease written before pids were recorded). */
    public static LeaseHolder named(String host) {
        return new LeaseHolder(host, "", -1, 0);
    }

    /** {@code host/pid}, as log lines name it. */
    public String label() {
        return host + (pid >= 0 ? "/" + pid : "");
    }

    /** Whether {@code other}'s pids mean what ours do (same host name, boot id and pid namespace, all known). */
    public boolean sameMachine(LeaseHolder other) {
        return !host.isEmpty() && host.equals(other.host) && !machineId.isEmpty() && machineId.equals(other.machineId);
    }

    /**
     * Why the process {@code recorded} is certainly not running, seen from {@code here} (this
     * process's machine), or empty when that cannot be told (another machine, unknown pid or start
     * time, or the process is there).
     */
    public static Optional<String> goneReason(LeaseHolder recorded, LeaseHolder here) {
        if (!here.sameMachine(recorded) || recorded.pid < 0 || recorded.startedMillis <= 0) {
            return Optional.empty();
        }
        Optional<ProcessHandle> p = ProcessHandle.of(recorded.pid).filter(ProcessHandle::isAlive);
        if (p.isEmpty()) {
            return Optional.of("no process has pid " + recorded.pid + " on " + recorded.host + " any more");
        }
        Optional<Long> started = startOf(p.get());
        if (started.isPresent() && Math.abs(started.get() - recorded.startedMillis) > SAME_START_TOLERANCE_MS) {
            return Optional.of("pid " + recorded.pid + " on " + recorded.host + " is now a process started at "
                    + Instant.ofEpochMilli(started.get()) + ", not the holder started at "
                    + Instant.ofEpochMilli(recorded.startedMillis) + (recorded.pid == here.pid
                    ? " (it is this process)" : ""));
        }
        return Optional.empty();
    }

    private static Optional<Long> startOf(ProcessHandle p) {
        return p.info().startInstant().map(Instant::toEpochMilli);
    }

    private static String hostName() {
        try {
            return InetAddress.getLocalHost().getHostName();
        } catch (Exception e) {
            String env = System.getenv("HOSTNAME");
            return env == null ? "unknown" : env;
        }
    }

    private static String readMachineId() {
        try {
            String boot = Files.readString(Path.of("/proc/sys/kernel/random/boot_id")).strip();
            String pidNamespace = Files.readSymbolicLink(Path.of("/proc/self/ns/pid")).toString();
            return boot + " " + pidNamespace;
        } catch (Exception e) {
            return "";
        }
    }
}
