package dev.sfd.helm;

import static dev.sfd.helm.Chart.at;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Rendered manifests for each values combination of issue 15 validate against the Kubernetes API
 * schemas (types, required fields, enums) of kubernetes-models, KEDA's and prometheus-operator's.
 * Limit: like kubeconform without -strict, unknown fields are not reported.
 */
class ManifestSchemaTest {

  static Stream<Arguments> valueSets() {
    return ValueSets.all().entrySet().stream().map(e -> Arguments.of(e.getKey(), e.getValue()));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("valueSets")
  void rendersValidateAgainstTheApiSchemas(String name, String[] values) throws Exception {
    Chart.Rendered r = Chart.render(values);
    SchemaValidator.Result result = SchemaValidator.validate(r.objects());
    assertEquals(0, result.exitCode(), name + ":\n" + result.output());
    assertTrue(result.output().contains("0 problem(s)"), result.output());
  }

  @Test
  void everyOptionalKindIsCoveredByAtLeastOneValuesSet() {
    Set<String> kinds = ValueSets.all().values().stream()
        .flatMap(v -> Chart.render(v).objects().stream())
        .map(o -> o.get("apiVersion") + " " + o.get("kind"))
        .collect(Collectors.toSet());
    assertTrue(kinds.containsAll(Set.of("apps/v1 Deployment", "v1 Service", "v1 ConfigMap", "v1 Secret", "batch/v1 Job",
        "policy/v1 PodDisruptionBudget", "keda.sh/v1alpha1 ScaledObject", "keda.sh/v1alpha1 TriggerAuthentication",
        "autoscaling/v2 HorizontalPodAutoscaler", "monitoring.coreos.com/v1 ServiceMonitor")), kinds.toString());
  }

  @Test
  void theValidatorRejectsABrokenManifest() throws Exception {
    Chart.Rendered r = Chart.render();
    List<Map<String, Object>> objects = new ArrayList<>(r.objects());
    Map<String, Object> teacher = r.deployment("teacher");
    Map<String, Object> spec = at(teacher, "spec");
    spec.put("replicas", "two");
    List<Map<String, Object>> ports = at(r.container("teacher"), "ports");
    ports.get(0).put("containerPort", "http");
    SchemaValidator.Result result = SchemaValidator.validate(objects);
    assertNotEquals(0, result.exitCode(), result.output());
    assertTrue(result.output().contains("replicas"), result.output());
  }
}
