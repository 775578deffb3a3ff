package dev.sfd.helm;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * deploy/monitoring: every metric the Grafana dashboard and the Prometheus alert rules query is one the
 * services export ({@link ExportedMetrics}: the services' metric-name constants and meter types, and the
 * Kafka binder's consumer metrics), and the dashboard covers what issue 15 asks to watch.
 */
class MonitoringMetricsTest {

  private static final Pattern METRIC = Pattern.compile("\\b((?:sfd|kafka)_[a-z0-9_]+)\\b");
  private static Set<String> exported;

  @BeforeAll
  static void load() {
    exported = ExportedMetrics.names();
  }

  private static Path monitoring() {
    return Chart.repoRoot().resolve("deploy/monitoring");
  }

  static List<String> dashboardExpressions() throws Exception {
    JsonNode dash = new ObjectMapper().readTree(Files.readString(monitoring().resolve("sfd-dashboard.json")));
    List<String> exprs = new ArrayList<>();
    for (JsonNode panel : dash.get("panels")) for (JsonNode t : panel.path("targets")) exprs.add(t.get("expr").asText());
    for (JsonNode v : dash.path("templating").path("list")) exprs.add(v.path("query").asText());
    return exprs;
  }

  @SuppressWarnings("unchecked")
  static List<String> alertExpressions() throws Exception {
    Map<String, Object> rules = Chart.parse(Files.readString(monitoring().resolve("sfd-alerts.yaml")));
    List<String> exprs = new ArrayList<>();
    for (Map<String, Object> group : (List<Map<String, Object>>) rules.get("groups")) {
      for (Map<String, Object> rule : (List<Map<String, Object>>) group.get("rules")) exprs.add(rule.get("expr").toString());
    }
    return exprs;
  }

  private static Set<String> queried(List<String> exprs) {
    Set<String> names = new TreeSet<>();
    for (String e : exprs) {
      Matcher m = METRIC.matcher(e);
      while (m.find()) names.add(m.group(1));
    }
    return names;
  }

  @Test
  void everyDashboardMetricIsExported() throws Exception {
    Set<String> queried = queried(dashboardExpressions());
    assertTrue(queried.size() >= 15, "dashboard queries: " + queried);
    Set<String> unknown = new TreeSet<>(queried);
    unknown.removeAll(exported);
    assertTrue(unknown.isEmpty(), "the dashboard queries metrics no service exports: " + unknown + "\nexported: " + exported);
  }

  @Test
  void everyAlertMetricIsExported() throws Exception {
    Set<String> queried = queried(alertExpressions());
    Set<String> unknown = new TreeSet<>(queried);
    unknown.removeAll(exported);
    assertTrue(unknown.isEmpty(), "alert rules query metrics no service exports: " + unknown);
  }

  @Test
  void theDashboardShowsWhatTheIssueAsksFor() throws Exception {
    Set<String> q = queried(dashboardExpressions());
    for (String must : List.of("sfd_teacher_trajectories_total", "kafka_consumer_fetch_manager_records_lag", "sfd_trainer_loss",
        "sfd_trainer_checkpoint_age_seconds", "sfd_sampler_request_seconds_bucket", "sfd_sampler_reloads_total")) {
      assertTrue(q.contains(must), "dashboard lacks " + must);
    }
  }

  @Test
  void theAlertsCoverLagCheckpointAgeAndRefusedReloads() throws Exception {
    Map<String, Object> rules = Chart.parse(Files.readString(monitoring().resolve("sfd-alerts.yaml")));
    String text = rules.toString();
    for (String alert : List.of("SfdPromptLagGrowing", "SfdCheckpointStale", "SfdReloadRefused")) {
      assertTrue(text.contains("alert=" + alert), alert);
    }
  }

  @Test
  void theNameDerivationKnowsEachMeterType() {
    assertTrue(exported.contains("sfd_teacher_prompts_accepted_total"), "counter");
    assertTrue(exported.contains("sfd_trainer_optimizer_steps_total"), "function counter");
    assertTrue(exported.contains("sfd_sampler_request_seconds_bucket"), "timer histogram");
    assertTrue(exported.contains("sfd_teacher_batch_fill_sum"), "distribution summary");
    assertTrue(exported.contains("sfd_trainer_checkpoint_age_seconds"), "gauge");
    assertFalse(exported.contains("sfd_trainer_checkpoint_age_seconds_total"));
    assertFalse(exported.contains("sfd_sampler_latency_seconds_bucket"), "a made-up name is not exported");
  }
}
