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
    assertFalse(r.has("TriggerAuthentication", Chart.PREFIX + "kafka-auth"));
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
    Map<String, Object> auth = r.get("TriggerAuthentication", Chart.PREFIX + "kafka-auth");
    assertEquals("ca", at(auth, "spec", "secretTargetRef", 0, "parameter"));
    assertEquals("enable", at(r.get("ScaledObject", Chart.PREFIX + "teacher"), "spec", "triggers", 0, "metadata", "tls"));
    assertThrows(Exception.class, () -> Chart.render("kafkaTls.enabled", "true"), "a CA Secret is required");
  }

  @Test
  void kafkaSaslTakesTheCredentialsFromASecretForTheServicesAndKeda() {
    Chart.Rendered r = Chart.render("kafkaTls.enabled", "true", "kafkaTls.caSecret", "kafka-ca",
        "kafkaSasl.enabled", "true", "kafkaSasl.existingSecret", "kafka-user", "keda.enabled", "true");
    for (String c : List.of("teacher", "trainer", "sampler")) {
      assertEquals("SASL_SSL", r.envValue(c, "KAFKA_SECURITY_PROTOCOL"), c);
      assertEquals("SCRAM-SHA-512", r.envValue(c, "KAFKA_SASL_MECHANISM"), c);
      assertEquals("org.apache.kafka.common.security.scram.ScramLoginModule required"
          + " username=\"$(SFD_KAFKA_SASL_USERNAME)\" password=\"$(SFD_KAFKA_SASL_PASSWORD)\";",
          r.envValue(c, "KAFKA_SASL_JAAS_CONFIG"), c);
      List<Map<String, Object>> env = at(r.container(c), "env");
      int jaas = -1;
      int password = -1;
      for (int i = 0; i < env.size(); i++) {
        if ("KAFKA_SASL_JAAS_CONFIG".equals(env.get(i).get("name"))) jaas = i;
        if ("SFD_KAFKA_SASL_PASSWORD".equals(env.get(i).get("name"))) {
          password = i;
          assertEquals("kafka-user", at(env.get(i), "valueFrom", "secretKeyRef", "name"), c);
          assertEquals("password", at(env.get(i), "valueFrom", "secretKeyRef", "key"), c);
        }
      }
      assertTrue(password >= 0 && password < jaas, c + ": $(VAR) expands only variables defined before it");
    }
    Map<String, Object> auth = r.get("TriggerAuthentication", Chart.PREFIX + "kafka-auth");
    List<Map<String, Object>> refs = at(auth, "spec", "secretTargetRef");
    assertEquals(List.of("ca", "username", "password"), refs.stream().map(m -> m.get("parameter")).toList());
    assertEquals("scram_sha512", at(r.get("ScaledObject", Chart.PREFIX + "teacher"), "spec", "triggers", 0, "metadata", "sasl"));
    Chart.Rendered plain = Chart.render("kafkaSasl.enabled", "true", "kafkaSasl.existingSecret", "u",
        "kafkaSasl.mechanism", "PLAIN", "keda.enabled", "true");
    assertEquals("SASL_PLAINTEXT", plain.envValue("teacher", "KAFKA_SECURITY_PROTOCOL"));
    assertTrue(plain.envValue("teacher", "KAFKA_SASL_JAAS_CONFIG").startsWith("org.apache.kafka.common.security.plain.PlainLoginModule"));
    assertEquals("plaintext", at(plain.get("ScaledObject", Chart.PREFIX + "teacher"), "spec", "triggers", 0, "metadata", "sasl"));
    Exception noSecret = assertThrows(Exception.class, () -> Chart.render("kafkaSasl.enabled", "true"));
    assertTrue(noSecret.getMessage().contains("kafkaSasl.existingSecret is required"), noSecret.getMessage());
    Exception badMechanism = assertThrows(Exception.class, () -> Chart.render("kafkaSasl.enabled", "true",
        "kafkaSasl.existingSecret", "u", "kafkaSasl.mechanism", "GSSAPI"));
    assertTrue(badMechanism.getMessage().contains("kafkaSasl.mechanism \"GSSAPI\" is not supported"), badMechanism.getMessage());
  }

  @Test
  void anS3CaBundleIsMountedAndPassedAsSfdS3CaFile() {
    Chart.Rendered r = Chart.render("s3.caSecret", "s3-ca", "s3.endpoint", "https://minio.internal:9000");
    for (String c : List.of("trainer", "sampler")) {
      assertEquals("/etc/sfd/s3-ca/ca.crt", r.envValue(c, "SFD_S3_CA_FILE"), c);
      List<Map<String, Object>> volumes = at(r.deployment(c), "spec", "template", "spec", "volumes");
      assertTrue(volumes.stream().anyMatch(v -> "s3-ca".equals(at(v, "secret", "secretName"))), c);
    }
    assertNull(r.envValue("teacher", "SFD_S3_CA_FILE"), "the teacher does not use the object store");
    assertNull(Chart.render().envValue("trainer", "SFD_S3_CA_FILE"), "no CA file unless asked");
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
