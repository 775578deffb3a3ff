package dev.sfd.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.sfd.cli.services.Service;
import dev.sfd.cli.services.ServiceRecords;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;

/**
 * Issue 27, defect 1: restarting one service ({@code up --only student-trainer --detach}) used to
 * overwrite {@code services.properties}, so {@code status} showed only the trainer and {@code down}
 * stopped only the trainer. The services here are real OS processes (stand-ins that just sleep:
 * what is under test is the record, status and down, not the services' own start).
 */
class ServicesRecordsTest {

    private final List<Process> started = new ArrayList<>();

    @AfterEach
    void stopLeftovers() {
        started.forEach(Process::destroyForcibly);
    }

    @Test
    void restartingOneServiceKeepsTheOthersRecordsForStatusAndDown() throws Exception {
        Path dir = Files.createTempDirectory("sfd-services-records");
        Process teacher = sleeper();
        Process trainer = sleeper();
        Process sampler = sleeper();
        ServiceRecords.save(dir, Map.of(
                Service.TEACHER, entry(teacher, 1), Service.TRAINER, entry(trainer, 2), Service.SAMPLER,
                entry(sampler, 3)));

        Run again = run("services", "up", "--only", "student-trainer", "--detach", "--data-dir", dir.toString(),
                "--bootstrap-servers", "127.0.0.1:1", "--s3-endpoint", "http://127.0.0.1:1");
        assertNotEquals(0, again.code, "the recorded trainer still runs: up --only must not start a second one");
        assertTrue(again.err.contains("student-trainer is already running (pid " + trainer.pid() + ",")
                && again.err.contains("sfd services down --only student-trainer"), again.err);

        Run downTrainer = run("services", "down", "--only", "student-trainer", "--data-dir", dir.toString());
        assertEquals(0, downTrainer.code, downTrainer.err);
        assertTrue(downTrainer.out.contains("Stopped 1 service(s)"), downTrainer.out);
        assertTrue(trainer.waitFor(30, TimeUnit.SECONDS), "the trainer was stopped");
        assertTrue(teacher.isAlive() && sampler.isAlive(), "the others keep running");

        Process newTrainer = sleeper(); // what 'up --only student-trainer --detach' records for its new process
        ServiceRecords.save(dir, Map.of(Service.TRAINER, entry(newTrainer, 4)));

        Map<Service, ServiceRecords.Entry> recorded = ServiceRecords.load(dir);
        assertEquals(List.of(Service.TEACHER, Service.TRAINER, Service.SAMPLER), List.copyOf(recorded.keySet()),
                "every service is still recorded");
        assertEquals(newTrainer.pid(), recorded.get(Service.TRAINER).pid());
        assertEquals(teacher.pid(), recorded.get(Service.TEACHER).pid());

        Run status = run("services", "status", "--data-dir", dir.toString());
        for (String module : List.of("teacher-service", "student-trainer", "sampler-service")) {
            assertTrue(status.out.lines().anyMatch(l -> l.matches(module + "\\s+UP\\s.*")),
                    module + " in status:\n" + status.out);
        }

        Run down = run("services", "down", "--data-dir", dir.toString());
        assertEquals(0, down.code, down.err);
        assertTrue(down.out.contains("Stopped 3 service(s)"), down.out);
        for (Process p : List.of(teacher, newTrainer, sampler)) {
            assertTrue(p.waitFor(30, TimeUnit.SECONDS), "pid " + p.pid() + " was stopped by down");
        }
    }

    @Test
    void aRecordedPidNowUsedByAnotherProcessIsNotStopped() throws Exception {
        Path dir = Files.createTempDirectory("sfd-services-records");
        Process other = sleeper();
        long wrongStart = ProcessHandle.of(other.pid()).orElseThrow().info().startInstant().orElseThrow()
                .toEpochMilli() - 60_000;
        ServiceRecords.save(dir, Map.of(Service.TEACHER, new ServiceRecords.Entry(other.pid(), wrongStart, 1,
                "teacher.log", "mixture2d")));
        assertFalse(ServiceRecords.load(dir).get(Service.TEACHER).alive(), "another start time: another process");
        Run down = run("services", "down", "--data-dir", dir.toString());
        assertTrue(down.out.contains("Stopped 0 service(s)"), down.out);
        assertTrue(other.isAlive(), "a process that merely reuses the pid is left alone");
    }

    @Test
    void aRestartWithAnotherTeacherThanTheRunningServicesIsRefused() throws Exception {
        Path dir = Files.createTempDirectory("sfd-services-records");
        ServiceRecords.save(dir, Map.of(Service.TEACHER, ServiceRecords.Entry.of(sleeper().pid(), 1, "t.log",
                "teacher.onnx")));
        Run up = run("services", "up", "--only", "student-trainer", "--detach", "--data-dir", dir.toString(),
                "--bootstrap-servers", "127.0.0.1:1", "--s3-endpoint", "http://127.0.0.1:1");
        assertNotEquals(0, up.code);
        assertTrue(up.err.contains("use teacher 'teacher.onnx'") && up.err.contains("pass --teacher teacher.onnx"),
                up.err);
    }

    private Process sleeper() throws Exception {
        Process p = new ProcessBuilder("sleep", "600").start();
        started.add(p);
        return p;
    }

    private static ServiceRecords.Entry entry(Process p, int port) {
        return ServiceRecords.Entry.of(p.pid(), port, "service-" + port + ".log", "mixture2d");
    }

    private record Run(int code, String out, String err) {
    }

    private static Run run(String... args) {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        CommandLine cli = SfdCommand.commandLine();
        cli.setOut(new PrintWriter(out, true));
        cli.setErr(new PrintWriter(err, true));
        int code = cli.execute(args);
        return new Run(code, out.toString(), err.toString());
    }
}
