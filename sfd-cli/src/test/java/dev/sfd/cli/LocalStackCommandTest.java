package dev.sfd.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.sfd.stack.StackEndpoints;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Assumptions;
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

            Run env = run("local-stack", "env", "--data-dir", dataDir);
            assertEquals(0, env.code, env.err);
            assertTrue(up.out.contains(env.out), "up prints the same export block as env:\n" + up.out);
            assertTrue(env.out.contains("export KAFKA_BOOTSTRAP_SERVERS=" + endpoints.bootstrapServers() + "\n")
                    && env.out.contains("export SFD_S3_SECRET_KEY=" + endpoints.secretKey() + "\n")
                    && env.out.contains("export AWS_SECRET_ACCESS_KEY=" + endpoints.secretKey() + "\n")
                    && env.out.contains("export AWS_ENDPOINT_URL=" + endpoints.s3Endpoint() + "\n"), env.out);
            awsCliWorksWithTheBlock(env.out, endpoints, dir);

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

    /**
     * Issue 27 newcomer traps: the secret key was only in stack.properties, and the AWS CLI fails on
     * s3proxy without the two checksum settings. The AWS CLI itself, in a shell that pasted the
     * block, lists the bucket and copies a file up and back (skipped where no {@code aws} exists).
     */
    private static void awsCliWorksWithTheBlock(String block, StackEndpoints e, Path dir) throws Exception {
        boolean aws = new ProcessBuilder("sh", "-c", "command -v aws").start().waitFor() == 0;
        Assumptions.assumeTrue(aws, "no AWS CLI on PATH (pip install awscli) to try the export block with");
        Files.writeString(dir.resolve("hello.txt"), "hello from the AWS CLI\n");
        String script = block + "set -e\ncd '" + dir + "'\naws s3 cp hello.txt s3://" + e.bucket() + "/aws-cli/hello.txt\n"
                + "aws s3 ls s3://" + e.bucket() + "/aws-cli/\naws s3 cp s3://" + e.bucket() + "/aws-cli/hello.txt back.txt\n";
        Process p = new ProcessBuilder("bash", "-c", script).redirectErrorStream(true).start();
        String output = new String(p.getInputStream().readAllBytes(), java.nio.charset.StandardCharsets.UTF_8);
        assertTrue(p.waitFor(120, java.util.concurrent.TimeUnit.SECONDS), output);
        assertEquals(0, p.exitValue(), "aws s3 cp/ls with the export block:\n" + output);
        assertTrue(output.contains("hello.txt"), output);
        assertEquals("hello from the AWS CLI\n", Files.readString(dir.resolve("back.txt")));
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
