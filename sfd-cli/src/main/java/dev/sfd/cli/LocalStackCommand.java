package dev.sfd.cli;

import dev.sfd.stack.LocalStack;
import dev.sfd.stack.ProcessMemory;
import dev.sfd.stack.StackEndpoints;
import dev.sfd.stack.StackProbe;
import dev.sfd.stack.TopicSpec;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.CountDownLatch;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code sfd local-stack up|down|status|env}: the embedded Kafka broker and S3 server for people. */
@Command(name = "local-stack", mixinStandardHelpOptions = true,
        description = "Start, stop or inspect the embedded local stack (real Kafka broker + S3 server on loopback).")
final class LocalStackCommand {

    @Spec
    CommandSpec spec;

    @Command(name = "up", mixinStandardHelpOptions = true,
            description = "Start the stack, create the topics and the bucket.")
    int up(@Mixin StackOptions options,
           @Option(names = "--detach", description = "Return once ready; stop later with 'sfd local-stack down'.")
           boolean detach) throws Exception {
        PrintWriter out = spec.commandLine().getOut();
        long started = System.nanoTime();
        LocalStack stack = LocalStack.start(options.settings(detach));
        printEndpoints(out, stack.endpoints(), Duration.ofNanos(System.nanoTime() - started));
        if (detach) {
            out.println("Detached. Stop with: sfd local-stack down --data-dir " + options.dataDir);
            return 0;
        }
        out.println("Running. Press Ctrl-C to stop.");
        out.flush();
        CountDownLatch forever = new CountDownLatch(1);
        Runtime.getRuntime().addShutdownHook(new Thread(stack::close, "sfd-stack-stop"));
        forever.await();
        return 0;
    }

    @Command(name = "down", mixinStandardHelpOptions = true,
            description = "Stop a detached stack.")
    int down(@Option(names = "--data-dir", defaultValue = ".sfd/stack") Path dataDir) throws Exception {
        int stopped = LocalStack.stopDetached(dataDir);
        spec.commandLine().getOut().println("Stopped " + stopped + " server(s) of the stack in " + dataDir);
        return 0;
    }

    @Command(name = "env", mixinStandardHelpOptions = true,
            description = "Print the stack's endpoints and credentials as one copy-paste export block.")
    int env(@Option(names = "--data-dir", defaultValue = ".sfd/stack") Path dataDir) throws Exception {
        PrintWriter out = spec.commandLine().getOut();
        out.print(StackExports.block(StackEndpoints.load(dataDir)));
        out.flush();
        return 0;
    }

    @Command(name = "status", mixinStandardHelpOptions = true,
            description = "Show whether the stack's servers answer, their pids and memory.")
    int status(@Option(names = "--data-dir", defaultValue = ".sfd/stack") Path dataDir) throws Exception {
        PrintWriter out = spec.commandLine().getOut();
        StackEndpoints e = StackEndpoints.load(dataDir);
        boolean healthy = true;
        try {
            StackProbe.checkKafka(e.bootstrapServers(), Duration.ofSeconds(3));
            out.printf("kafka  UP    %-28s pid %-8d rss %d MiB%n", e.bootstrapServers(), e.kafkaPid(),
                    ProcessMemory.rssMiB(e.kafkaPid()));
        } catch (RuntimeException ex) {
            healthy = false;
            out.println("kafka  DOWN  " + ex.getMessage());
        }
        try {
            StackProbe.checkS3(e.s3Endpoint(), e.accessKey(), e.secretKey(), e.bucket());
            out.printf("s3     UP    %-28s pid %-8d rss %d MiB  bucket %s%n", e.s3Endpoint(), e.s3Pid(),
                    ProcessMemory.rssMiB(e.s3Pid()), e.bucket());
        } catch (RuntimeException ex) {
            healthy = false;
            out.println("s3     DOWN  " + ex.getMessage());
        }
        return healthy ? 0 : 3;
    }

    static void printEndpoints(PrintWriter out, StackEndpoints e, Duration startup) {
        out.printf("Local stack ready in %.1f s%n", startup.toMillis() / 1000.0);
        out.printf("  kafka  %-28s (pid %d, %d MiB)%n", e.bootstrapServers(), e.kafkaPid(),
                ProcessMemory.rssMiB(e.kafkaPid()));
        out.printf("  s3     %-28s (pid %d, %d MiB) bucket %s, access key %s%n", e.s3Endpoint(), e.s3Pid(),
                ProcessMemory.rssMiB(e.s3Pid()), e.bucket(), e.accessKey());
        out.println("  topics " + String.join(", ", TopicSpec.PROMPTS, TopicSpec.TRAJECTORIES, TopicSpec.CHECKPOINTS,
                TopicSpec.PROMPTS_DLQ, TopicSpec.TRAJECTORIES_DLQ));
        out.print(StackExports.block(e));
        out.flush();
    }
}
