package dev.sfd.stack;

import java.lang.reflect.Method;
import java.util.Arrays;

/**
 * Entry point of every server child JVM: {@code ParentWatchdog <parentPid> <mainClass> args...}.
 * It exits the child (running the server's own shutdown hooks) as soon as the launching process is
 * gone, so a killed launcher never leaves an orphan broker behind. A parent pid of 0 disables the
 * watch (used by {@code local-stack up --detach}). Depends on nothing but the JDK.
 */
public final class ParentWatchdog {

    private ParentWatchdog() {
    }

    public static void main(String[] args) throws Exception {
        long parentPid = Long.parseLong(args[0]);
        if (parentPid > 0) {
            Thread watch = new Thread(() -> watch(parentPid), "sfd-parent-watchdog");
            watch.setDaemon(true);
            watch.start();
        }
        Method main = Class.forName(args[1]).getMethod("main", String[].class);
        main.invoke(null, (Object) Arrays.copyOfRange(args, 2, args.length));
    }

    private static void watch(long parentPid) {
        while (ProcessHandle.of(parentPid).map(ProcessHandle::isAlive).orElse(false)) {
            try {
                Thread.sleep(500);
            } catch (InterruptedException e) {
                return;
            }
        }
        System.err.println("sfd: launcher process " + parentPid + " is gone, shutting down");
        System.exit(0);
    }
}
