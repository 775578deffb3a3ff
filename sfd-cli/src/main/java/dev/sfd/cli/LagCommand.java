package dev.sfd.cli;

import dev.sfd.stack.ConsumerLag;
import dev.sfd.stack.ConsumerLag.PartitionLag;
import dev.sfd.stack.StackProbe;
import java.io.PrintWriter;
import java.time.Duration;
import java.time.LocalTime;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.ConsumerGroupListing;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code sfd lag}: consumer lag per partition, the numbers {@code kafka-consumer-groups --describe}
 * prints, for one group or every group; {@code --watch} refreshes the table.
 */
@Command(name = "lag", mixinStandardHelpOptions = true,
        description = "Show consumer lag (CURRENT-OFFSET, LOG-END-OFFSET, LAG per partition) of every group, or of "
                + "--group; --watch refreshes it.")
final class LagCommand implements Callable<Integer> {

    @Spec
    CommandSpec spec;

    @Option(names = "--bootstrap-servers", defaultValue = "127.0.0.1:9092", description = "Kafka bootstrap servers.")
    String bootstrapServers;

    @Option(names = "--group", description = "Consumer group id (repeatable), e.g. sfd-student-trainer; default: all.")
    List<String> groups;

    @Option(names = "--watch", description = "Refresh until Ctrl-C.")
    boolean watch;

    @Option(names = "--interval", defaultValue = "2", description = "Seconds between refreshes (default ${DEFAULT-VALUE}).")
    double interval;

    @Override
    public Integer call() throws Exception {
        PrintWriter out = spec.commandLine().getOut();
        try (Admin admin = Admin.create(StackProbe.quickAdmin(bootstrapServers))) {
            do {
                List<String> shown = groups != null ? groups : allGroups(admin);
                if (watch) {
                    out.print("\033[H\033[2J"); // clear the terminal, as watch(1) does
                    out.println("sfd lag  " + bootstrapServers + "  " + LocalTime.now().truncatedTo(ChronoUnit.SECONDS)
                            + "  (Ctrl-C to stop)");
                }
                if (shown.isEmpty()) {
                    out.println("no consumer groups on " + bootstrapServers);
                }
                header(out);
                for (String g : shown) {
                    rows(out, g, ConsumerLag.describe(admin, g, Duration.ofSeconds(10)));
                }
                out.flush();
                if (watch) {
                    Thread.sleep((long) (interval * 1000));
                }
            } while (watch);
        }
        return 0;
    }

    static List<String> allGroups(Admin admin) throws Exception {
        return admin.listConsumerGroups().all().get(10, TimeUnit.SECONDS).stream()
                .map(ConsumerGroupListing::groupId).sorted().toList();
    }

    static void print(PrintWriter out, String group, List<PartitionLag> rows) {
        header(out);
        rows(out, group, rows);
        out.flush();
    }

    private static void header(PrintWriter out) {
        out.printf("%-28s %-22s %9s %14s %14s %8s%n", "GROUP", "TOPIC", "PARTITION", "CURRENT-OFFSET",
                "LOG-END-OFFSET", "LAG");
    }

    private static void rows(PrintWriter out, String group, List<PartitionLag> rows) {
        for (PartitionLag r : rows) {
            out.printf("%-28s %-22s %9d %14s %14d %8s%n", group, r.topic(), r.partition(),
                    r.committed() ? Long.toString(r.currentOffset()) : "-", r.logEndOffset(),
                    r.committed() ? Long.toString(r.lag()) : "-");
        }
        out.printf("%-28s total lag %d%n", group, ConsumerLag.total(rows));
    }
}
