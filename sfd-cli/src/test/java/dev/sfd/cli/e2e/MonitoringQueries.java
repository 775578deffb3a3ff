package dev.sfd.cli.e2e;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The metric names deploy/monitoring queries (the Grafana dashboard's panel targets and template
 * variables, the Prometheus alert rules' {@code expr}), and the names a service's {@code /q/metrics}
 * page exports, so a test can compare them on running services.
 */
final class MonitoringQueries {

    private static final Pattern METRIC = Pattern.compile("\\b((?:sfd|kafka)_[a-z0-9_]+)\\b");
    /** A sample line of the Prometheus text format: the series name, then labels or the value. */
    private static final Pattern SERIES = Pattern.compile("^([a-zA-Z_:][a-zA-Z0-9_:]*)[{ ]", Pattern.MULTILINE);
    /** One alert rule's expression: {@code expr: ...} on one line, or {@code expr: |} and the indented lines below. */
    private static final Pattern ALERT_EXPR = Pattern.compile("^(\\s*)expr:\\s*(\\|?)(.*)$", Pattern.MULTILINE);

    private MonitoringQueries() {
    }

    static Path monitoringDir() {
        Path here = Path.of("").toAbsolutePath();
        for (Path p = here; p != null; p = p.getParent()) {
            if (Files.isDirectory(p.resolve("deploy/monitoring"))) {
                return p.resolve("deploy/monitoring");
            }
        }
        throw new IllegalStateException("no deploy/monitoring above " + here);
    }

    static Set<String> dashboard() throws IOException {
        JsonNode dash = new ObjectMapper().readTree(monitoringDir().resolve("sfd-dashboard.json").toFile());
        StringBuilder exprs = new StringBuilder();
        for (JsonNode panel : dash.path("panels")) {
            for (JsonNode t : panel.path("targets")) {
                exprs.append(t.path("expr").asText()).append('\n');
            }
        }
        for (JsonNode v : dash.path("templating").path("list")) {
            exprs.append(v.path("query").asText()).append('\n');
        }
        return names(exprs);
    }

    static Set<String> alerts() throws IOException {
        String yaml = Files.readString(monitoringDir().resolve("sfd-alerts.yaml"));
        String[] lines = yaml.split("\n");
        StringBuilder exprs = new StringBuilder();
        for (int i = 0; i < lines.length; i++) {
            Matcher m = ALERT_EXPR.matcher(lines[i]);
            if (!m.matches()) {
                continue;
            }
            exprs.append(m.group(3)).append('\n');
            if (!m.group(2).isEmpty()) { // block scalar: the lines indented deeper than "expr:"
                int indent = m.group(1).length();
                while (i + 1 < lines.length && (lines[i + 1].isBlank() || leading(lines[i + 1]) > indent)) {
                    exprs.append(lines[++i]).append('\n');
                }
            }
        }
        return names(exprs);
    }

    /** Series names on a Prometheus text page (comment lines skipped). */
    static Set<String> exported(String prometheusText) {
        Set<String> out = new TreeSet<>();
        Matcher m = SERIES.matcher(prometheusText);
        while (m.find()) {
            out.add(m.group(1));
        }
        return out;
    }

    private static Set<String> names(CharSequence exprs) {
        Set<String> out = new TreeSet<>();
        Matcher m = METRIC.matcher(exprs);
        while (m.find()) {
            out.add(m.group(1));
        }
        return out;
    }

    private static int leading(String line) {
        int n = 0;
        while (n < line.length() && line.charAt(n) == ' ') {
            n++;
        }
        return n;
    }
}
