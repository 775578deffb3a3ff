package dev.sfd.helm;

import static dev.sfd.helm.Chart.at;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** KEDA, HPA, PDBs, the headless sampler Service, GPUs and the trainer's single replica, as rendered. */
class ScalingTemplatesTest {

  @Test
  void kedaScalesTheTeacherOnItsGroupsLagOnThePromptsTopic() {
    Chart.Rendered r = Chart.render("keda.enabled", "true", "keda.lagThreshold", "3", "teacher.group", "teachers-a");
    Map<String, Object> so = r.get("ScaledObject", Chart.PREFIX + "teacher");
    assertEquals("keda.sh/v1alpha1", so.get("apiVersion"));
    assertEquals(Chart.PREFIX + "teacher", at(so, "spec", "scaleTargetRef", "name"));
    assertEquals("Deployment", at(so, "spec", "scaleTargetRef", "kind"));
    assertEquals(6, (Integer) at(so, "spec", "maxReplicaCount"), "default: the prompt partitions");
    Map<String, Object> trigger = at(so, "spec", "triggers", 0);
    assertEquals("kafka", trigger.get("type"));
    Map<String, Object> md = at(trigger, "metadata");
    // KEDA's kafka scaler field names; all values strings.
    assertEquals("kafka:9092", md.get("bootstrapServers"));
    assertEquals("teachers-a", md.get("consumerGroup"));
    assertEquals("teachers-a", r.envValue("teacher", "SFD_TEACHER_GROUP"), "the group KEDA watches is the teacher's");
    assertEquals("sfd.prompts", md.get("topic"));
    assertEquals("3", md.get("lagThreshold"));
    assertEquals("false", md.get("allowIdleConsumers"));
    for (Object v : md.values()) assertTrue(v instanceof String, "KEDA metadata values are strings: " + md);
    assertNull(at(r.deployment("teacher"), "spec", "replicas"), "KEDA owns the teacher's replica count");
    assertFalse(r.has("TriggerAuthentication", Chart.PREFIX + "kafka-tls"));
  }

  @Test
  void kedaOffRendersNoScaledObjectAndKeepsReplicas() {
    Chart.Rendered r = Chart.render("teacher.replicas", "3");
    assertTrue(r.ofKind("ScaledObject").isEmpty());
    assertEquals(3, (Integer) at(r.deployment("teacher"), "spec", "replicas"));
  }

  @Test
  void kedaMaxAbovePartitionsIsRefusedUnlessIdleReplicasAreAllowed() {
    Exception e = assertThrows(Exception.class, () -> Chart.render("keda.enabled", "true", "keda.maxReplicaCount", "7"));
    assertTrue(e.getMessage().contains("keda.maxReplicaCount (7) exceeds kafka.topics.partitions.prompts (6)"), e.getMessage());
    Chart.Rendered r = Chart.render("keda.enabled", "true", "keda.maxReplicaCount", "7", "teacher.allowIdleReplicas", "true");
    assertEquals("true", at(r.get("ScaledObject", Chart.PREFIX + "teacher"), "spec", "triggers", 0, "metadata", "allowIdleConsumers"));
  }

  @Test
  void teacherReplicasAbovePartitionsNeedAllowIdleReplicas() {
    assertThrows(Exception.class, () -> Chart.render("teacher.replicas", "7"));
    assertEquals(7, (Integer) at(Chart.render("teacher.replicas", "7", "teacher.allowIdleReplicas", "true").deployment("teacher"), "spec", "replicas"));
  }

  @Test
  void kafkaTlsMountsTheCaAndGivesKedaTheSameSecret() {
    Chart.Rendered r = Chart.render("kafkaTls.enabled", "true", "kafkaTls.caSecret", "kafka-ca", "keda.enabled", "true");
    for (String c : List.of("teacher", "trainer", "sampler")) {
      assertEquals("SSL", r.envValue(c, "KAFKA_SECURITY_PROTOCOL"), c);
      assertEquals("PEM", r.envValue(c, "KAFKA_SSL_TRUSTSTORE_TYPE"), c);
      assertEquals("/etc/sfd/kafka-tls/ca.crt", r.envValue(c, "KAFKA_SSL_TRUSTSTORE_LOCATION"), c);
      List<Map<String, Object>> volumes = at(r.deployment(c), "spec", "template", "spec", "volumes");
      assertTrue(volumes.stream().anyMatch(v -> "kafka-ca".equals(at(v, "secret", "secretName"))), c);
    }
    Map<String, Object> auth = r.get("TriggerAuthentication", Chart.PREFIX + "kafka-tls");
    assertEquals("ca", at(auth, "spec", "secretTargetRef", 0, "parameter"));
    assertEquals("enable", at(r.get("ScaledObject", Chart.PREFIX + "teacher"), "spec", "triggers", 0, "metadata", "tls"));
    assertThrows(Exception.class, () -> Chart.render("kafkaTls.enabled", "true"), "a CA Secret is required");
  }

  @Test
  void pdbsForTeacherAndSamplerNotForTheSingleTrainer() {
    Chart.Rendered r = Chart.render();
    assertEquals(1, (Integer) at(r.get("PodDisruptionBudget", Chart.PREFIX + "teacher"), "spec", "maxUnavailable"));
    assertEquals("sampler", at(r.get("PodDisruptionBudget", Chart.PREFIX + "sampler"), "spec", "selector", "matchLabels", "app.kubernetes.io/component"));
    assertFalse(r.has("PodDisruptionBudget", Chart.PREFIX + "trainer"));
    assertTrue(Chart.render("podDisruptionBudget.enabled", "false").ofKind("PodDisruptionBudget").isEmpty());
  }

  @Test
  void trainerIsOneReplicaWithRecreate() {
    Chart.Rendered r = Chart.render();
    assertEquals(1, (Integer) at(r.deployment("trainer"), "spec", "replicas"));
    assertEquals("Recreate", at(r.deployment("trainer"), "spec", "strategy", "type"));
    assertThrows(Exception.class, () -> Chart.render("trainer.replicas", "2"));
  }

  @Test
  void samplerHpaOwnsReplicasAndHeadlessServiceIsOptional() {
    Chart.Rendered r = Chart.render("sampler.autoscaling.enabled", "true", "sampler.service.headless", "true");
    Map<String, Object> hpa = r.get("HorizontalPodAutoscaler", Chart.PREFIX + "sampler");
    assertEquals(Chart.PREFIX + "sampler", at(hpa, "spec", "scaleTargetRef", "name"));
    assertEquals(70, (Integer) at(hpa, "spec", "metrics", 0, "resource", "target", "averageUtilization"));
    assertNull(at(r.deployment("sampler"), "spec", "replicas"));
    Map<String, Object> headless = r.get("Service", Chart.PREFIX + "sampler-headless");
    assertEquals("None", at(headless, "spec", "clusterIP"));
    assertEquals(9190, (Integer) at(headless, "spec", "ports", 1, "port"));
    Chart.Rendered plain = Chart.render();
    assertFalse(plain.has("Service", Chart.PREFIX + "sampler-headless"));
    assertEquals("ClusterIP", at(plain.get("Service", Chart.PREFIX + "sampler"), "spec", "type"));
    assertTrue(plain.ofKind("HorizontalPodAutoscaler").isEmpty());
  }

  @Test
  void samplerGrpcOnPort9190WithSeparateProbes() {
    Chart.Rendered r = Chart.render();
    assertEquals("9190", r.envValue("sampler", "QUARKUS_GRPC_SERVER_PORT"));
    List<Map<String, Object>> ports = at(r.container("sampler"), "ports");
    assertTrue(ports.stream().anyMatch(p -> "grpc".equals(p.get("name")) && Integer.valueOf(9190).equals(p.get("containerPort"))));
    assertEquals("/q/health/ready", at(r.container("sampler"), "readinessProbe", "httpGet", "path"));
    assertEquals("/q/health/live", at(r.container("sampler"), "livenessProbe", "httpGet", "path"));
  }

  @Test
  void gpusRequestTheDeviceAndUseCudaImages() {
    Chart.Rendered r = Chart.render("gpu.enabled", "true", "trainer.gpu.count", "2", "sampler.gpu.enabled", "false");
    assertEquals(1, (Integer) at(r.container("teacher"), "resources", "limits", "nvidia.com/gpu"));
    assertEquals(2, (Integer) at(r.container("trainer"), "resources", "limits", "nvidia.com/gpu"));
    assertNull(at(r.container("sampler"), "resources", "limits", "nvidia.com/gpu"));
    assertTrue(((String) r.container("trainer").get("image")).endsWith("-cuda"));
    assertFalse(((String) r.container("sampler").get("image")).endsWith("-cuda"));
    assertEquals("cuda", r.envValue("trainer", "SFD_EXECUTION_PROVIDER"));
    assertEquals("cpu", r.envValue("sampler", "SFD_EXECUTION_PROVIDER"));
  }
}
