package dev.sfd.helm;

import static dev.sfd.helm.Chart.at;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Map;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;
import org.junit.jupiter.api.Test;

/** The three Deployments and Services, rendered from defaults and from user values. */
class ServiceTemplatesTest {

  private static final List<String> COMPONENTS = List.of("teacher", "trainer", "sampler");

  @ParameterizedTest
  @CsvSource({"teacher, teacher-service, 8081", "trainer, student-trainer, 8082", "sampler, sampler-service, 8083"})
  void eachServiceUsesItsImageAndTagFromValues(String component, String module, int port) {
    Chart.Rendered defaults = Chart.render();
    assertEquals("sfd/" + module + ":0.1.0", at(defaults.container(component), "image"), "tag defaults to appVersion");

    Chart.Rendered custom = Chart.render(
        "image.registry", "registry.example.com/ml",
        "image.tag", "1.2.3",
        component + ".image.repository", "acme/" + component);
    assertEquals("registry.example.com/ml/acme/" + component + ":1.2.3", at(custom.container(component), "image"));

    Chart.Rendered ownTag = Chart.render("image.tag", "1.2.3", component + ".image.tag", "9.9.9");
    assertEquals("sfd/" + module + ":9.9.9", at(ownTag.container(component), "image"), "a service's own tag wins");

    assertEquals(port, (Integer) at(defaults.container(component), "ports", 0, "containerPort"));
    assertEquals(port, (Integer) at(defaults.get("Service", Chart.PREFIX + component), "spec", "ports", 0, "port"));
  }

  @Test
  void kafkaAndS3SettingsAreWiredThroughTheConfigMap() {
    Chart.Rendered r = Chart.render(
        "kafka.bootstrapServers", "broker-0.kafka:9092,broker-1.kafka:9092", // helm-java escapes the comma
        "s3.endpoint", "https://s3.eu-west-1.amazonaws.com",
        "s3.bucket", "team-checkpoints",
        "s3.region", "eu-west-1",
        "s3.serverErrorAttempts", "6",
        "s3.serverErrorBackoff", "500ms");
    for (String component : COMPONENTS) {
      assertEquals("broker-0.kafka:9092,broker-1.kafka:9092", r.envValue(component, "KAFKA_BOOTSTRAP_SERVERS"), component);
    }
    for (String component : List.of("trainer", "sampler")) {
      assertEquals("https://s3.eu-west-1.amazonaws.com", r.envValue(component, "SFD_S3_ENDPOINT"), component);
      assertEquals("team-checkpoints", r.envValue(component, "SFD_S3_BUCKET"), component);
      assertEquals("eu-west-1", r.envValue(component, "SFD_S3_REGION"), component);
      assertEquals("6", r.envValue(component, "SFD_S3_SERVER_ERROR_ATTEMPTS"), component);
      assertEquals("500ms", r.envValue(component, "SFD_S3_SERVER_ERROR_BACKOFF"), component);
    }
    assertNull(r.env("teacher", "SFD_S3_BUCKET"), "the teacher does not use the object store");
  }

  @Test
  void samplerBatcherSettingsReachTheSampler() {
    Chart.Rendered defaults = Chart.render();
    assertEquals("PT0.0003S", defaults.envValue("sampler", "SFD_SAMPLER_MAX_QUEUE_DELAY"));
    assertEquals("1", defaults.envValue("sampler", "SFD_SAMPLER_WORKERS"));
    assertNull(defaults.env("sampler", "SFD_SAMPLER_PREFERRED_BATCH_SIZES"), "unset: only maxBatch starts a call early");

    Chart.Rendered set = Chart.render("sampler.maxQueueDelay", "PT0.001S", "sampler.workers", "2",
        "sampler.preferredBatchSizes[0]", "8", "sampler.preferredBatchSizes[1]", "16");
    assertEquals("PT0.001S", set.envValue("sampler", "SFD_SAMPLER_MAX_QUEUE_DELAY"));
    assertEquals("2", set.envValue("sampler", "SFD_SAMPLER_WORKERS"));
    assertEquals("8,16", set.envValue("sampler", "SFD_SAMPLER_PREFERRED_BATCH_SIZES"));
  }

  @Test
  void s3CredentialsComeFromTheChartSecretOrAnExistingOne() {
    Chart.Rendered none = Chart.render();
    assertTrue(none.ofKind("Secret").isEmpty());
    assertNull(none.env("trainer", "SFD_S3_ACCESS_KEY"), "no credentials configured: none passed");

    Chart.Rendered inline = Chart.render("s3.accessKey", "AKIA-TEST", "s3.secretKey", "s3cr3t");
    Map<String, Object> secret = inline.get("Secret", Chart.PREFIX + "s3");
    assertEquals("AKIA-TEST", at(secret, "stringData", "access-key"));
    assertEquals("secret:" + Chart.PREFIX + "s3/access-key", inline.envValue("trainer", "SFD_S3_ACCESS_KEY"));
    assertEquals("secret:" + Chart.PREFIX + "s3/secret-key", inline.envValue("sampler", "SFD_S3_SECRET_KEY"));

    Chart.Rendered existing = Chart.render("s3.existingSecret", "team-s3", "s3.existingSecretAccessKeyKey", "id",
        "s3.accessKey", "ignored", "s3.secretKey", "ignored");
    assertTrue(existing.ofKind("Secret").isEmpty(), "existingSecret: the chart owns no Secret");
    assertEquals("secret:team-s3/id", existing.envValue("trainer", "SFD_S3_ACCESS_KEY"));
    assertEquals("secret:team-s3/secret-key", existing.envValue("trainer", "SFD_S3_SECRET_KEY"));
  }

  @Test
  void probesUseTheQuarkusHealthEndpoints() {
    Chart.Rendered r = Chart.render();
    for (String component : COMPONENTS) {
      Map<String, Object> c = r.container(component);
      assertEquals("/q/health/ready", at(c, "readinessProbe", "httpGet", "path"), component);
      assertEquals("/q/health/live", at(c, "livenessProbe", "httpGet", "path"), component);
      assertEquals("/q/health/started", at(c, "startupProbe", "httpGet", "path"), component);
      assertEquals("http", at(c, "readinessProbe", "httpGet", "port"), component);
    }
  }

  @Test
  void trainerIsOneReplicaWithRecreateWhileOthersScale() {
    Chart.Rendered r = Chart.render("teacher.replicas", "4", "sampler.replicas", "5");
    assertEquals(1, (Integer) at(r.deployment("trainer"), "spec", "replicas"));
    assertEquals("Recreate", at(r.deployment("trainer"), "spec", "strategy", "type"));
    assertEquals(4, (Integer) at(r.deployment("teacher"), "spec", "replicas"));
    assertEquals(5, (Integer) at(r.deployment("sampler"), "spec", "replicas"));
  }

  @Test
  void gpuResourcesOnlyWhenEnabled() {
    Chart.Rendered cpu = Chart.render();
    for (String component : COMPONENTS) {
      assertNull(at(cpu.container(component), "resources", "limits", "nvidia.com/gpu"), component);
      assertNull(at(cpu.deployment(component), "spec", "template", "spec", "tolerations"), component);
      assertEquals("cpu", cpu.envValue(component, "SFD_EXECUTION_PROVIDER"), component);
    }

    Chart.Rendered gpu = Chart.render("gpu.enabled", "true", "trainer.gpu.count", "2", "sampler.gpu.enabled", "false",
        "gpu.nodeSelector.gpu-pool", "a100");
    for (String component : List.of("teacher", "trainer")) {
      Map<String, Object> pod = at(gpu.deployment(component), "spec", "template", "spec");
      assertEquals(component.equals("trainer") ? 2 : 1,
          (Integer) at(gpu.container(component), "resources", "limits", "nvidia.com/gpu"), component);
      assertNotNull(at(gpu.container(component), "resources", "limits", "memory"), "memory limit kept next to the GPU");
      assertEquals("a100", at(pod, "nodeSelector", "gpu-pool"), component);
      assertEquals("nvidia.com/gpu", at(pod, "tolerations", 0, "key"), component);
      assertEquals("cuda", gpu.envValue(component, "SFD_EXECUTION_PROVIDER"), component);
      assertTrue(((String) at(gpu.container(component), "image")).endsWith(":0.1.0-cuda"), component);
    }
    assertNull(at(gpu.container("sampler"), "resources", "limits", "nvidia.com/gpu"), "sampler opted out");
    assertEquals("sfd/sampler-service:0.1.0", at(gpu.container("sampler"), "image"));
  }

  @ParameterizedTest
  @ValueSource(booleans = {true, false})
  void samplerGrpcPortIsAValue(boolean separateServer) {
    Chart.Rendered r = Chart.render("sampler.grpc.separateServer", String.valueOf(separateServer), "sampler.grpc.port", "9443");
    List<Map<String, Object>> ports = at(r.get("Service", Chart.PREFIX + "sampler"), "spec", "ports");
    Map<String, Object> grpcPort = ports.stream().filter(p -> "grpc".equals(p.get("name"))).findFirst().orElseThrow();
    assertEquals(9443, grpcPort.get("port"));
    assertEquals(separateServer ? "grpc" : "http", grpcPort.get("targetPort"));
    assertEquals(String.valueOf(separateServer), r.envValue("sampler", "QUARKUS_GRPC_SERVER_USE_SEPARATE_SERVER"));
    if (separateServer) assertEquals("9443", r.envValue("sampler", "QUARKUS_GRPC_SERVER_PORT"));
    else assertNull(r.env("sampler", "QUARKUS_GRPC_SERVER_PORT"));
  }

  @Test
  void userEnvIsAddedAndPerServiceEnvWins() {
    Chart.Rendered r = Chart.render("env.SFD_LOG_EVERY", "10", "sampler.env.SFD_LOG_EVERY", "1");
    assertEquals("10", r.envValue("teacher", "SFD_LOG_EVERY"));
    assertEquals("1", r.envValue("sampler", "SFD_LOG_EVERY"));
  }

  @Test
  void serviceMonitorIsAToggle() {
    assertTrue(Chart.render().ofKind("ServiceMonitor").isEmpty());
    Chart.Rendered r = Chart.render("serviceMonitor.enabled", "true", "serviceMonitor.labels.release", "prom");
    Map<String, Object> sm = r.get("ServiceMonitor", "demo-sfd");
    assertEquals("prom", at(sm, "metadata", "labels", "release"));
    assertEquals("/q/metrics", at(sm, "spec", "endpoints", 0, "path"));
    assertEquals("http", at(sm, "spec", "endpoints", 0, "port"));
    // Its selector must match all three Services.
    Map<String, Object> selector = at(sm, "spec", "selector", "matchLabels");
    for (String component : COMPONENTS) {
      Map<String, Object> labels = at(r.get("Service", Chart.PREFIX + component), "metadata", "labels");
      assertTrue(labels.entrySet().containsAll(selector.entrySet()), component);
    }
  }

  @Test
  void podsRunAsNonRootWithAWritableTmp() {
    Chart.Rendered r = Chart.render();
    for (String component : COMPONENTS) {
      Map<String, Object> pod = at(r.deployment(component), "spec", "template", "spec");
      assertEquals(true, at(pod, "securityContext", "runAsNonRoot"), component);
      assertEquals(true, at(r.container(component), "securityContext", "readOnlyRootFilesystem"), component);
      assertNotNull(at(pod, "volumes", 0, "emptyDir"), component);
      assertEquals("/tmp", at(r.container(component), "volumeMounts", 0, "mountPath"), component);
    }
  }
}
