package dev.sfd.stack;

import java.io.File;
import java.io.IOException;
import java.net.URISyntaxException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * A server running in a child JVM, its output appended to a log file. Closing it asks the server
 * to stop (SIGTERM, so its shutdown hooks run) and kills it if it has not stopped in time.
 */
final class ChildJvm implements AutoCloseable {

    private final String name;
    private final Process process;
    private final Path log;

    private ChildJvm(String name, Process process, Path log) {
        this.name = name;
        this.process = process;
        this.log = log;
    }

    /**
     * Starts {@code mainClass} on {@code classpath} under {@link ParentWatchdog}.
     *
     * @param watchParent stop the child when this JVM exits (false for a detached stack)
     */
    static ChildJvm start(String name, String classpath, List<String> jvmOptions, String mainClass,
                          List<String> args, Path log, boolean watchParent) throws IOException {
        return start(name, classpath, jvmOptions, mainClass, args, java.util.Map.of(), log, watchParent);
    }

    /** As above, with extra environment variables for the child. */
    static ChildJvm start(String name, String classpath, List<String> jvmOptions, String mainClass,
                          List<String> args, java.util.Map<String, String> env, Path log, boolean watchParent)
            throws IOException {
        List<String> command = new ArrayList<>();
        command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        command.addAll(jvmOptions);
        command.add("-cp");
        command.add(watchdogLocation() + File.pathSeparator + classpath);
        command.add(ParentWatchdog.class.getName());
        command.add(Long.toString(watchParent ? ProcessHandle.current().pid() : 0));
        command.add(mainClass);
        command.addAll(args);
        Files.createDirectories(log.getParent());
        ProcessBuilder builder = new ProcessBuilder(command);
        builder.environment().putAll(env);
        Process process = builder
                .redirectErrorStream(true)
                .redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile()))
                .redirectInput(ProcessBuilder.Redirect.PIPE)
                .start();
        return new ChildJvm(name, process, log);
    }

    /** Runs a tool's main class to completion; a non-zero exit is an error quoting the log. */
    static void runToCompletion(String name, String classpath, String mainClass, List<String> args,
                                Path log, Duration timeout) throws IOException, InterruptedException {
        try (ChildJvm tool = start(name, classpath, List.of("-Xmx256m"), mainClass, args, log, true)) {
            if (!tool.process.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
                throw new IllegalStateException(name + " did not finish within " + timeout + "; log: " + log);
            }
            if (tool.process.exitValue() != 0) {
                throw new IllegalStateException(name + " failed with exit code " + tool.process.exitValue()
                        + "; last lines of " + log + ":\n" + tool.tail(15));
            }
        }
    }

    private static String watchdogLocation() {
        try {
            return Path.of(ParentWatchdog.class.getProtectionDomain().getCodeSource().getLocation().toURI())
                    .toString();
        } catch (URISyntaxException e) {
            throw new IllegalStateException("cannot locate the launcher's own classes", e);
        }
    }

    String name() {
        return name;
    }

    long pid() {
        return process.pid();
    }

    boolean waitFor(Duration timeout) throws InterruptedException {
        return process.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS);
    }

    int exitValue() {
        return process.exitValue();
    }

    boolean isAlive() {
        return process.isAlive();
    }

    Path log() {
        return log;
    }

    /** The last {@code lines} lines of the log, for error messages. */
    String tail(int lines) {
        try {
            List<String> all = Files.readAllLines(log, StandardCharsets.UTF_8);
            return String.join("\n", all.subList(Math.max(0, all.size() - lines), all.size()));
        } catch (IOException e) {
            return "(log unreadable: " + e.getMessage() + ")";
        }
    }

    /** Fails with the log's tail if the child has exited. */
    void requireAlive() {
        if (!process.isAlive()) {
            throw new IllegalStateException(name + " exited with code " + process.exitValue()
                    + " during start-up; last lines of " + log + ":\n" + tail(20));
        }
    }

    @Override
    public void close() {
        stop(process.toHandle(), Duration.ofSeconds(30));
    }

    /** SIGTERM, wait, then SIGKILL: the same for children we started and for a detached stack's pids. */
    static void stop(ProcessHandle handle, Duration grace) {
        if (!handle.isAlive()) {
            return;
        }
        handle.destroy();
        try {
            handle.onExit().get(grace.toMillis(), TimeUnit.MILLISECONDS);
        } catch (Exception e) {
            handle.destroyForcibly();
        }
    }
}
