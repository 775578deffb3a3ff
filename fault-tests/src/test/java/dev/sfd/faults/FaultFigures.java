package dev.sfd.faults;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * The figures of a fault run, one row per fault: what was injected, records in / out / lost /
 * duplicated, failed requests, recovery time. Printed and written to
 * {@code target/fault-figures/<test>.md} so docs/reliability.md can quote a quiet run.
 */
final class FaultFigures {

    record Row(String fault, String injected, String in, String out, String lost, String duplicated, String failed,
               String recovery) {
    }

    private final String title;
    private final List<Row> rows = new ArrayList<>();
    private final List<String> notes = new ArrayList<>();

    FaultFigures(String title) {
        this.title = title;
    }

    void add(Row row) {
        rows.add(row);
    }

    void note(String line) {
        notes.add(line);
    }

    String table() {
        StringBuilder b = new StringBuilder("### " + title + "\n\n");
        b.append("| fault | injected | records in | out | lost | duplicated | failed requests | recovery |\n");
        b.append("| --- | --- | --- | --- | --- | --- | --- | --- |\n");
        for (Row r : rows) {
            b.append("| ").append(String.join(" | ", r.fault(), r.injected(), r.in(), r.out(), r.lost(),
                    r.duplicated(), r.failed(), r.recovery())).append(" |\n");
        }
        notes.forEach(n -> b.append("\n- ").append(n));
        return b.append('\n').toString();
    }

    void write(String name) throws IOException {
        String t = table();
        System.out.println(t);
        Path out = Path.of("target", "fault-figures", name + ".md");
        Files.createDirectories(out.getParent());
        Files.writeString(out, t);
    }

    static String secs(long nanos) {
        return String.format("%.1f s", nanos / 1e9);
    }
}
