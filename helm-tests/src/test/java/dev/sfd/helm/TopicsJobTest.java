package dev.sfd.helm;

import static dev.sfd.helm.Chart.at;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * The topic-creation Job. Embedded Helm's template leaves hooks out of its output (like
 * `helm template --no-hooks`), so the Job's content is checked with kafka.topics.asHook=false;
 * lint (ChartLintTest) renders the hook variant too.
 */
class TopicsJobTest {

  private static final String JOB = Chart.PREFIX + "topics";

  @Test
  void listsTheFiveTopicsWithConfiguredPartitions() {
    Chart.Rendered r = Chart.render("kafka.topics.asHook", "false",
        "kafka.topics.partitions.prompts", "12",
        "kafka.topics.partitions.trajectories", "24",
        "kafka.topics.partitions.promptsDlq", "2",
        "kafka.topics.replicationFactor", "3");
    Map<String, String> topics = topicLines(r);
    assertEquals(List.of("sfd.prompts", "sfd.prompts.dlq", "sfd.trajectories", "sfd.trajectories.dlq", "sfd.checkpoints"),
        List.copyOf(topics.keySet()));
    assertEquals("12", topics.get("sfd.prompts"));
    assertEquals("2", topics.get("sfd.prompts.dlq"));
    assertEquals("24", topics.get("sfd.trajectories"));
    assertEquals("1", topics.get("sfd.trajectories.dlq"));
    assertEquals("1 --config cleanup.policy=compact", topics.get("sfd.checkpoints"), "checkpoints are compacted");
    assertEquals("3", env(r, "REPLICATION_FACTOR"));
    assertEquals("kafka:9092", env(r, "BOOTSTRAP"));
  }

  @Test
  void isAHookByDefaultAndCanBeTurnedOff() {
    // As a hook it is not part of the release manifest (Helm keeps hooks apart).
    assertFalse(Chart.render().has("Job", JOB));
    Chart.Rendered plain = Chart.render("kafka.topics.asHook", "false");
    assertTrue(plain.has("Job", JOB));
    assertNull(at(plain.get("Job", JOB), "metadata", "annotations"), "no hook annotations");
    assertFalse(Chart.render("kafka.topics.asHook", "false", "kafka.topics.create", "false").has("Job", JOB));
  }

  @Test
  void teacherReplicasAreCappedByPromptPartitions() {
    Chart.Rendered ok = Chart.render("teacher.replicas", "6");
    assertEquals(6, (Integer) at(ok.deployment("teacher"), "spec", "replicas"));
    IllegalStateException e = TemplateErrorsTest.renderFails("teacher.replicas", "7");
    assertTrue(e.getMessage().contains("teacher.replicas (7) exceeds kafka.topics.partitions.prompts (6)"), e.getMessage());
  }

  /** "ensure_topic NAME REST" lines of the Job's script, in order: NAME → REST. */
  private static Map<String, String> topicLines(Chart.Rendered r) {
    String script = at(r.get("Job", JOB), "spec", "template", "spec", "containers", 0, "args", 0);
    Map<String, String> topics = new LinkedHashMap<>();
    script.lines().map(String::strip).filter(l -> l.startsWith("ensure_topic ")).forEach(l -> {
      String[] parts = l.split(" ", 3);
      topics.put(parts[1], parts[2]);
    });
    return topics;
  }

  private static String env(Chart.Rendered r, String name) {
    List<Map<String, Object>> env = at(r.get("Job", JOB), "spec", "template", "spec", "containers", 0, "env");
    return env.stream().filter(e -> name.equals(e.get("name"))).map(e -> (String) e.get("value")).findFirst().orElse(null);
  }
}
