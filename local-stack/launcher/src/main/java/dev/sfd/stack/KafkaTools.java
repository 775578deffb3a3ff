package dev.sfd.stack;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/** Kafka's own command-line tools, run in a child JVM from the broker's classpath (the reference our tools are checked against). */
public final class KafkaTools {

    private KafkaTools() {
    }

    /** The output of {@code kafka-consumer-groups --describe --group <group>}. */
    public static List<String> describeGroup(String bootstrapServers, String group) throws Exception {
        Path log = Files.createTempFile("consumer-group-command", ".txt");
        try {
            ChildJvm.runToCompletion("ConsumerGroupCommand", ServerClasspath.of("kafka"),
                    "org.apache.kafka.tools.consumer.group.ConsumerGroupCommand",
                    List.of("--bootstrap-server", bootstrapServers, "--describe", "--group", group),
                    log, Duration.ofSeconds(60));
            return Files.readAllLines(log);
        } finally {
            Files.deleteIfExists(log);
        }
    }

    /**
     * "topic/partition" → LAG (−1 where the tool prints "-": no committed offset), parsed from
     * {@link #describeGroup}'s table; an error quoting the output
     * if it printed no table.
     */
    public static Map<String, Long> lagByPartition(String bootstrapServers, String group) throws Exception {
        List<String> lines = describeGroup(bootstrapServers, group);
        List<String> header = null;
        Map<String, Long> lag = new HashMap<>();
        for (String line : lines) {
            List<String> cells = new ArrayList<>(List.of(line.trim().split("\\s+")));
            if (cells.contains("LAG") && cells.contains("PARTITION")) {
                header = cells;
            } else if (header != null && cells.size() >= header.size() - 3 && cells.get(0).equals(group)) {
                lag.put(cells.get(header.indexOf("TOPIC")) + "/" + cells.get(header.indexOf("PARTITION")),
                        parseOffset(cells.get(header.indexOf("LAG"))));
            }
        }
        if (header == null) {
            throw new IllegalStateException("ConsumerGroupCommand printed no table:\n" + String.join("\n", lines));
        }
        return lag;
    }

    private static long parseOffset(String cell) {
        return cell.equals("-") ? -1 : Long.parseLong(cell);
    }

}
