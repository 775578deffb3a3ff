package dev.sfd.helm;

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
import org.junit.jupiter.api.Test;

/**
 * deploy/monitoring: the dashboard covers what issue 15 asks to watch and the alert rules exist. That every
 * series they query is exported is checked on the running services by sfd-cli's EndToEndTest (their
 * /q/metrics pages), not here.
 */
class MonitoringMetricsTest {

  private static final Pattern METRIC = Pattern.compile("\\b((?:sfd|kafka)_[a-z0-9_]+)\\b");

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

  private static Set<String> queried(List<String> exprs) {
    Set<String> names = new TreeSet<>();
    for (String e : exprs) {
      Matcher m = METRIC.matcher(e);
      while (m.find()) names.add(m.group(1));
    }
    return names;
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

}
