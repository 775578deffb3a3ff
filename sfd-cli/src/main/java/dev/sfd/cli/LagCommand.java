package dev.sfd.cli;

import dev.sfd.stack.ConsumerLag;
import dev.sfd.stack.ConsumerLag.PartitionLag;
import java.io.PrintWriter;
import java.time.Duration;
import java.util.List;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code sfd lag}: consumer lag of a group, the numbers kafka-consumer-groups --describe prints. */
@Command(name = "lag", mixinStandardHelpOptions = true, description = "Show the consumer lag of a group.")
final class LagCommand implements java.util.concurrent.Callable<Integer> {

    @Spec
    CommandSpec spec;

    @Option(names = "--bootstrap-servers", defaultValue = "127.0.0.1:9092", description = "Kafka bootstrap servers.")
    String bootstrapServers;

    @Option(names = "--group", required = true, description = "Consumer group id, e.g. sfd-student-trainer.")
    String group;

    @Override
    public Integer call() {
        List<PartitionLag> rows = ConsumerLag.describe(bootstrapServers, group, Duration.ofSeconds(10));
        print(spec.commandLine().getOut(), group, rows);
        return 0;
    }

    static void print(PrintWriter out, String group, List<PartitionLag> rows) {
        out.printf("%-24s %-20s %9s %14s %14s %8s%n", "GROUP", "TOPIC", "PARTITION", "CURRENT-OFFSET",
                "LOG-END-OFFSET", "LAG");
        for (PartitionLag r : rows) {
            out.printf("%-24s %-20s %9d %14d %14d %8d%n", group, r.topic(), r.partition(), r.currentOffset(),
                    r.logEndOffset(), r.lag());
        }
        out.printf("total lag: %d%n", ConsumerLag.total(rows));
        out.flush();
    }
}
