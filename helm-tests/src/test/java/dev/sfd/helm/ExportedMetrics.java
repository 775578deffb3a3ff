package dev.sfd.helm;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * The Prometheus series names the three services export on /q/metrics, derived from their sources:
 * the metric-name constants of TeacherMetrics, TrainerMetrics and SamplerMetrics, each with the meter
 * type it is registered as (Counter/FunctionCounter, Timer, DistributionSummary, Gauge) and Micrometer's
 * Prometheus naming ('.' -> '_', counters + _total, timers in _seconds with _count/_sum/_max/_bucket),
 * plus the Kafka client metrics Quarkus' Micrometer Kafka binder exports
 * (quarkus.micrometer.binder.kafka.enabled, default on).
 */
final class ExportedMetrics {

  static final List<String> SOURCES = List.of(
      "teacher-service/src/main/java/dev/sfd/teacher",
      "student-trainer/src/main/java/dev/sfd/trainer",
      "sampler-service/src/main/java/dev/sfd/sampler");

  /** Kafka consumer metrics (KafkaClientMetrics, fetch-manager group) the dashboard and alerts use. */
  static final Set<String> KAFKA = Set.of(
      "kafka_consumer_fetch_manager_records_lag",
      "kafka_consumer_fetch_manager_records_lag_max",
      "kafka_consumer_fetch_manager_records_consumed_total");

  private static final Pattern CONSTANT = Pattern.compile("static final String (\\w+) = \"(sfd\\.[a-z.]+)\"");

  private ExportedMetrics() {}

  static Set<String> names() {
    Set<String> out = new TreeSet<>(KAFKA);
    for (String dir : SOURCES) {
      String all = allSources(Chart.repoRoot().resolve(dir));
      Matcher c = CONSTANT.matcher(all);
      Map<String, String> constants = new HashMap<>();
      while (c.find()) constants.put(c.group(1), c.group(2));
      for (Map.Entry<String, String> e : constants.entrySet()) {
        String base = e.getValue().replace('.', '_');
        switch (type(all, e.getKey())) {
          case "counter" -> out.add(base.endsWith("_total") ? base : base + "_total");
          case "gauge" -> out.add(base);
          case "timer" -> {
            for (String s : List.of("", "_count", "_sum", "_max", "_bucket")) out.add(base + "_seconds" + s);
          }
          case "summary" -> {
            for (String s : List.of("", "_count", "_sum", "_max", "_bucket")) out.add(base + s);
          }
          default -> throw new AssertionError("cannot tell how " + e.getKey() + " (" + e.getValue() + ") in " + dir
              + " is registered: teach ExportedMetrics.type about it");
        }
      }
    }
    return out;
  }

  /** How a constant is registered, from the builder call that names it. */
  private static String type(String src, String constant) {
    String ref = "(?:\\w+\\.)?" + constant + "\\b";
    if (find(src, "(?:Function)?Counter\\.builder\\(\\s*" + ref)) return "counter";
    if (find(src, "(?:Timer\\.builder|timer)\\(\\s*" + ref)) return "timer";
    if (find(src, "DistributionSummary\\.builder\\(\\s*" + ref)) return "summary";
    if (find(src, "(?:Gauge\\.builder|\\.gauge)\\(\\s*" + ref)) return "gauge";
    return "unknown";
  }

  private static boolean find(String src, String regex) {
    return Pattern.compile(regex).matcher(src).find();
  }

  private static String allSources(Path dir) {
    StringBuilder sb = new StringBuilder();
    try (Stream<Path> files = Files.walk(dir)) {
      for (Path f : files.filter(p -> p.toString().endsWith(".java")).toList()) sb.append(Files.readString(f)).append('\n');
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return sb.toString();
  }
}
