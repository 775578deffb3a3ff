package dev.sfd.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.sfd.stack.StackEndpoints;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;

/** {@code sfd local-stack up --detach}, {@code status}, {@code lag} and {@code down} as a person runs them. */
class LocalStackCommandTest {

    @Test
    void detachedStackCanBeInspectedAndStopped() throws Exception {
        Path dir = Files.createTempDirectory("sfd-cli-stack");
        String dataDir = dir.toString();
        Run up = run("local-stack", "up", "--detach", "--data-dir", dataDir,
                "--kafka-port", "0", "--controller-port", "0", "--s3-port", "0", "--partitions", "2");
        assertEquals(0, up.code, up.err);
        assertTrue(up.out.contains("Local stack ready"), up.out);
        StackEndpoints endpoints = StackEndpoints.load(dir);
        try {
            Run status = run("local-stack", "status", "--data-dir", dataDir);
            assertEquals(0, status.code, status.out + status.err);
            assertTrue(status.out.contains("kafka  UP") && status.out.contains("s3     UP"), status.out);

            Run lag = run("lag", "--bootstrap-servers", endpoints.bootstrapServers(), "--group", "nobody-yet");
            assertEquals(0, lag.code, lag.err);
            assertTrue(lag.out.contains("nobody-yet") && lag.out.contains("total lag 0"), lag.out);
        } finally {
            Run down = run("local-stack", "down", "--data-dir", dataDir);
            assertEquals(0, down.code, down.err);
            assertTrue(down.out.contains("Stopped 2 server(s)"), down.out);
        }
        assertTrue(ProcessHandle.of(endpoints.kafkaPid()).map(p -> !p.isAlive()).orElse(true), "broker stopped");
        Run after = run("local-stack", "status", "--data-dir", dataDir);
        assertNotEquals(0, after.code);
        assertTrue(after.err.contains("sfd local-stack up"), after.err);
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
