package dev.sfd.helm;

import static dev.sfd.helm.Chart.at;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * docker/compose.yaml and the chart must describe the same system: same bootstrap servers, bucket,
 * endpoint and topic partitions as the chart's defaults. Anchors and merge keys are resolved by the parser,
 * exactly as Compose does.
 */
class ComposeFileTest {

  private static final List<String> SFD_SERVICES = List.of("teacher-service", "student-trainer", "sampler-service");
  private static final List<String> S3_USERS = List.of("student-trainer", "sampler-service");

  private static Map<String, Object> compose;
  private static Map<String, Object> values;

  @BeforeAll
  static void load() throws IOException {
    compose = Chart.parse(Files.readString(Chart.repoRoot().resolve("docker/compose.yaml")));
    values = Chart.parse(Files.readString(Chart.dir().resolve("values.yaml")));
  }

  private static Map<String, Object> service(String name) {
    Map<String, Object> service = at(compose, "services", name);
    if (service == null) throw new AssertionError("no service " + name + " in compose.yaml");
    return service;
  }

  private static String env(String service, String name) {
    Object value = at(service(service), "environment", name);
    return value == null ? null : value.toString();
  }

  @Test
  void composeHasTheExpectedServices() {
    Map<String, Object> services = at(compose, "services");
    assertEquals(Set.of("kafka", "kafka-topics", "minio", "minio-init", "teacher-service", "student-trainer", "sampler-service"),
        services.keySet(), "a new service must be wired (and added to this test)");
  }

  @Test
  void everyServiceUsesTheChartsBootstrapServers() {
    String bootstrap = at(values, "kafka", "bootstrapServers");
    for (String service : SFD_SERVICES) assertEquals(bootstrap, env(service, "KAFKA_BOOTSTRAP_SERVERS"), service);
    assertEquals(bootstrap, env("kafka-topics", "BOOTSTRAP"));
    assertTrue(env("kafka", "KAFKA_ADVERTISED_LISTENERS").contains("PLAINTEXT://" + bootstrap),
        "the broker advertises the address the services use");
    // Same value the rendered chart hands to its pods.
    assertEquals(bootstrap, Chart.render().envValue("teacher", "KAFKA_BOOTSTRAP_SERVERS"));
  }

  @Test
  void objectStoreUsersUseTheChartsBucketAndEndpoint() {
    String bucket = at(values, "s3", "bucket");
    String endpoint = at(values, "s3", "endpoint");
    for (String service : S3_USERS) {
      assertEquals(bucket, env(service, "SFD_S3_BUCKET"), service);
      assertEquals(endpoint, env(service, "SFD_S3_ENDPOINT"), service);
      assertEquals(at(values, "s3", "region"), env(service, "SFD_S3_REGION"), service);
      assertEquals(env("minio", "MINIO_ROOT_USER"), env(service, "SFD_S3_ACCESS_KEY"), service);
      assertEquals(env("minio", "MINIO_ROOT_PASSWORD"), env(service, "SFD_S3_SECRET_KEY"), service);
    }
    assertEquals(bucket, env("minio-init", "BUCKET"), "the bucket the one-shot job creates");
    assertEquals(bucket, Chart.render().envValue("trainer", "SFD_S3_BUCKET"));
  }

  @Test
  void topicJobCreatesTheChartsTopicsAndPartitions() {
    String script = String.join("\n", Chart.<List<String>>at(service("kafka-topics"), "command"));
    Pattern create = Pattern.compile("(?m)^\\s*create (\\S+) --partitions (\\d+)");
    Map<String, Integer> created = new LinkedHashMap<>();
    for (Matcher m = create.matcher(script); m.find(); ) created.put(m.group(1), Integer.parseInt(m.group(2)));
    Map<String, Object> partitions = at(values, "kafka", "topics", "partitions");
    assertEquals(Map.of(
            "sfd.prompts", partitions.get("prompts"),
            "sfd.prompts.dlq", partitions.get("promptsDlq"),
            "sfd.trajectories", partitions.get("trajectories"),
            "sfd.trajectories.dlq", partitions.get("trajectoriesDlq"),
            "sfd.checkpoints", partitions.get("checkpoints")),
        created);
    assertTrue(script.contains("create sfd.checkpoints --partitions 1 --config cleanup.policy=compact"));
  }

  @Test
  void servicesWaitForTopicsAndBucket() {
    for (String service : SFD_SERVICES) {
      Map<String, Object> dependsOn = at(service(service), "depends_on");
      assertEquals("service_completed_successfully", at(dependsOn, "kafka-topics", "condition"), service);
      assertEquals("service_completed_successfully", at(dependsOn, "minio-init", "condition"), service);
      assertEquals("service_healthy", at(dependsOn, "kafka", "condition"), service);
    }
  }

  @Test
  void samplerGrpcSettingsMatchTheChart() {
    assertEquals(String.valueOf((Object) at(values, "sampler", "grpc", "port")), env("sampler-service", "QUARKUS_GRPC_SERVER_PORT"));
    assertEquals(String.valueOf((Object) at(values, "sampler", "grpc", "separateServer")),
        env("sampler-service", "QUARKUS_GRPC_SERVER_USE_SEPARATE_SERVER"));
  }
}
