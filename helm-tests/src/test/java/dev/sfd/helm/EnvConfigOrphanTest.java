package dev.sfd.helm;

import static dev.sfd.helm.Chart.at;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Every environment variable the chart, the compose files and the Dockerfiles set must be a property
 * the receiving service reads (no orphans such as an SFD_EXECUTION_PROVIDER nobody reads), and every
 * setting a deployment must be able to choose must be set by the chart (no orphan the other way).
 * The services' properties come from their sources ({@link ServiceConfig}), not from a list here.
 */
class EnvConfigOrphanTest {

  /** What a deployment must be able to set per service (issue 15), as property names. */
  private static final Map<String, List<String>> CHART_MUST_SET = Map.of(
      "teacher", List.of("kafka.bootstrap.servers", "sfd.teacher.model", "sfd.distill.solver", "sfd.distill.k",
          "sfd.distill.step-counts", "sfd.distill.afs", "sfd.execution-provider", "sfd.threads", "sfd.teacher.group",
          "quarkus.http.port"),
      "trainer", List.of("kafka.bootstrap.servers", "sfd.teacher.model", "sfd.distill.solver", "sfd.distill.k",
          "sfd.distill.step-counts", "sfd.distill.afs", "sfd.execution-provider", "sfd.threads",
          "sfd.s3.endpoint", "sfd.s3.bucket", "sfd.s3.region", "sfd.s3.server-error-attempts",
          "sfd.s3.server-error-backoff", "sfd.trainer.student-name", "sfd.trainer.group-id",
          "sfd.trainer.budget", "sfd.trainer.checkpoint-every-steps", "sfd.trainer.checkpoint-every", "quarkus.http.port"),
      "sampler", List.of("kafka.bootstrap.servers", "sfd.execution-provider", "sfd.threads", "sfd.s3.endpoint",
          "sfd.s3.bucket", "sfd.s3.region", "sfd.s3.server-error-attempts", "sfd.s3.server-error-backoff",
          "sfd.sampler.student", "sfd.sampler.max-batch", "sfd.sampler.max-queue-delay", "sfd.sampler.workers",
          "sfd.sampler.max-steps", "sfd.sampler.max-count", "sfd.sampler.pipeline", "sfd.sampler.prompt-cache-size",
          "quarkus.grpc.server.port", "quarkus.http.port"));

  static Stream<Arguments> valueSets() {
    return ValueSets.all().entrySet().stream().map(e -> Arguments.of(e.getKey(), e.getValue()));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("valueSets")
  void everyEnvVariableTheChartSetsIsReadByItsService(String name, String[] values) {
    Chart.Rendered r = Chart.render(values);
    List<String> orphans = new ArrayList<>();
    for (String component : ServiceConfig.MODULES.keySet()) {
      ServiceConfig config = ServiceConfig.of(component);
      Set<String> expanded = expandedByKubernetes(r, component);
      for (String env : envNames(r, component)) {
        if (config.propertyOf(env) == null && !readOutsideConfig(env) && !expanded.contains(env)) {
          orphans.add(component + ": " + env);
        }
      }
    }
    assertTrue(orphans.isEmpty(), "env set by the chart (" + name + ") but read by no property of the service: " + orphans);
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("valueSets")
  void everyConfigMapEntryIsUsedByAContainer(String name, String[] values) {
    Chart.Rendered r = Chart.render(values);
    Set<String> referenced = new HashSet<>();
    for (String component : ServiceConfig.MODULES.keySet()) {
      List<Map<String, Object>> env = at(r.container(component), "env");
      for (Map<String, Object> e : env) {
        String key = at(e, "valueFrom", "configMapKeyRef", "key");
        if (key != null) referenced.add(key);
      }
    }
    Map<String, Object> data = at(r.get("ConfigMap", Chart.PREFIX + "config"), "data");
    Set<String> unused = new TreeSet<>(data.keySet());
    unused.removeAll(referenced);
    assertTrue(unused.isEmpty(), "ConfigMap entries no container reads: " + unused);
  }

  @Test
  void theChartSetsEverySettingADeploymentMustChoose() {
    Chart.Rendered r = Chart.render();
    List<String> missing = new ArrayList<>();
    for (String component : ServiceConfig.MODULES.keySet()) {
      ServiceConfig config = ServiceConfig.of(component);
      Set<String> set = new HashSet<>();
      for (String env : envNames(r, component)) {
        String p = config.propertyOf(env);
        if (p != null) set.add(p);
      }
      for (String p : CHART_MUST_SET.get(component)) {
        assertTrue(config.properties().containsKey(p), component + " no longer reads " + p + ": update this test");
        if (!set.contains(p)) missing.add(component + ": " + p + " (env " + ServiceConfig.envName(p) + ")");
      }
      // and anything a service has no default for at all
      for (String p : config.withoutDefault()) if (!set.contains(p)) missing.add(component + ": " + p + " has no default");
    }
    assertTrue(missing.isEmpty(), "settings the chart cannot set: " + missing);
  }

  @Test
  void teacherAndTrainerAgreeOnTheRecipeAndTrainerAndSamplerOnTheStudent() {
    Chart.Rendered r = Chart.render("sfd.teacherModel", "shapes", "sfd.student", "shapes-nfe2", "sfd.distill.stepCounts", "3,4");
    for (String env : List.of("SFD_TEACHER_MODEL", "SFD_DISTILL_SOLVER", "SFD_DISTILL_K", "SFD_DISTILL_STEP_COUNTS", "SFD_DISTILL_AFS")) {
      assertEquals(r.envValue("teacher", env), r.envValue("trainer", env), env);
    }
    assertEquals("shapes", r.envValue("teacher", "SFD_TEACHER_MODEL"));
    assertEquals("3,4", r.envValue("trainer", "SFD_DISTILL_STEP_COUNTS"));
    assertEquals("shapes-nfe2", r.envValue("trainer", "SFD_TRAINER_STUDENT_NAME"));
    assertEquals("shapes-nfe2", r.envValue("sampler", "SFD_SAMPLER_STUDENT"));
  }

  @Test
  void composeFilesSetOnlyPropertiesTheServicesRead() throws IOException {
    Map<String, String> services = Map.of("teacher-service", "teacher", "student-trainer", "trainer", "sampler-service", "sampler");
    List<String> orphans = new ArrayList<>();
    int checked = 0;
    for (String file : List.of("docker/compose.yaml", "docker/compose.gpu.yaml")) {
      Map<String, Object> compose = Chart.parse(Files.readString(Chart.repoRoot().resolve(file)));
      for (Map.Entry<String, String> s : services.entrySet()) {
        Map<String, Object> env = at(compose, "services", s.getKey(), "environment");
        if (env == null) continue;
        ServiceConfig config = ServiceConfig.of(s.getValue());
        for (String name : env.keySet()) {
          checked++;
          if (config.propertyOf(name) == null && !readOutsideConfig(name)) orphans.add(file + " " + s.getKey() + ": " + name);
        }
      }
    }
    assertTrue(checked > 20, "the compose files set few variables: parsing broke? " + checked);
    assertTrue(orphans.isEmpty(), "compose env read by no property: " + orphans);
  }

  @Test
  void dockerfilesSetOnlyVariablesEveryServiceReads() {
    Pattern env = Pattern.compile("^ENV\\s+((?:[^\\n]*\\\\\\n)*[^\\n]*)", Pattern.MULTILINE);
    Pattern name = Pattern.compile("([A-Z][A-Z0-9_]*)=");
    List<String> orphans = new ArrayList<>();
    Set<String> seen = new TreeSet<>();
    for (String file : List.of("docker/Dockerfile.jvm", "docker/Dockerfile.cuda")) {
      Matcher m = env.matcher(ServiceConfig.read(Chart.repoRoot().resolve(file)));
      while (m.find()) {
        Matcher n = name.matcher(m.group(1));
        while (n.find()) {
          String var = n.group(1);
          if (var.equals("JAVA_HOME") || var.equals("PATH")) continue; // the JRE's own, in the CUDA image
          seen.add(var);
          for (String component : ServiceConfig.MODULES.keySet()) {
            if (ServiceConfig.of(component).propertyOf(var) == null && !readOutsideConfig(var)) orphans.add(file + " " + component + ": " + var);
          }
        }
      }
    }
    assertTrue(seen.containsAll(Set.of("JAVA_OPTS", "SFD_MODELS_DIR", "SFD_EXECUTION_PROVIDER")), "parsed ENV names: " + seen);
    assertTrue(orphans.isEmpty(), "Dockerfile ENV read by no service: " + orphans);
  }

  @Test
  void theNonConfigVariablesAreReallyReadWhereClaimed() {
    for (Map.Entry<String, String> e : ServiceConfig.NON_CONFIG_ENV.entrySet()) {
      String src = ServiceConfig.read(Chart.repoRoot().resolve(e.getValue()));
      assertTrue(src.contains("$" + e.getKey()) || src.contains("\"" + e.getKey() + "\""), e.getKey() + " not read by " + e.getValue());
    }
  }

  @Test
  void aMistypedVariableIsCaught() {
    // The check can fail: a variable with a typo maps to nothing.
    assertEquals(null, ServiceConfig.of("trainer").propertyOf("SFD_TRAINER_STUDENT"));
    assertEquals(null, ServiceConfig.of("teacher").propertyOf("SFD_S3_ENDPOINT"), "the teacher has no object store");
    assertEquals(null, ServiceConfig.of("sampler").propertyOf("KAFKA_NOT_A_CLIENT_SETTING"));
    assertEquals("sfd.trainer.student-name", ServiceConfig.of("trainer").propertyOf("SFD_TRAINER_STUDENT_NAME"));
    assertEquals("kafka.security.protocol", ServiceConfig.of("sampler").propertyOf("KAFKA_SECURITY_PROTOCOL"));
  }

  private static boolean readOutsideConfig(String env) {
    return ServiceConfig.NON_CONFIG_ENV.containsKey(env);
  }

  /**
   * Variables another variable of the same container refers to as $(NAME): Kubernetes expands those into
   * the referring value (e.g. SASL credentials from a Secret into KAFKA_SASL_JAAS_CONFIG), so they are read.
   */
  private static Set<String> expandedByKubernetes(Chart.Rendered r, String component) {
    Pattern ref = Pattern.compile("\\$\\(([A-Z_][A-Z0-9_]*)\\)");
    Set<String> out = new TreeSet<>();
    List<Map<String, Object>> env = at(r.container(component), "env");
    for (Map<String, Object> e : env) {
      Object value = e.get("value");
      if (value == null) continue;
      Matcher m = ref.matcher(value.toString());
      while (m.find()) out.add(m.group(1));
    }
    return out;
  }

  private static List<String> envNames(Chart.Rendered r, String component) {
    List<Map<String, Object>> env = at(r.container(component), "env");
    return env.stream().map(e -> (String) e.get("name")).toList();
  }

  @SuppressWarnings("unused")
  private static Path root() {
    return Chart.repoRoot();
  }
}
