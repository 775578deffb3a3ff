package dev.sfd.helm;

import com.marcnuri.helm.Helm;
import com.marcnuri.helm.TemplateCommand;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import org.yaml.snakeyaml.LoaderOptions;
import org.yaml.snakeyaml.Yaml;
import org.yaml.snakeyaml.constructor.SafeConstructor;

/** The chart at ../helm/sfd, rendered by embedded Helm and parsed into plain maps and lists. */
final class Chart {

  static final String RELEASE = "demo";
  static final String NAMESPACE = "ml";
  /** Resource-name prefix for release "demo" (release name + chart name). */
  static final String PREFIX = "demo-sfd-";

  private Chart() {}

  static Path repoRoot() {
    return Path.of(System.getProperty("sfd.repo.root", "..")).toAbsolutePath().normalize();
  }

  static Path dir() {
    Path chart = repoRoot().resolve("helm/sfd");
    if (!Files.isRegularFile(chart.resolve("Chart.yaml"))) {
      throw new IllegalStateException("no chart at " + chart);
    }
    return chart;
  }

  static Helm helm() {
    return new Helm(dir());
  }

  /** helm template with --set key=value pairs (given as alternating arguments). */
  static Rendered render(String... keyValues) {
    if (keyValues.length % 2 != 0) throw new IllegalArgumentException("key/value pairs expected");
    TemplateCommand template = helm().template().withName(RELEASE).withNamespace(NAMESPACE);
    for (int i = 0; i < keyValues.length; i += 2) template = template.set(keyValues[i], keyValues[i + 1]);
    return new Rendered(template.call());
  }

  /** Every YAML document of a multi-document string, skipping empty ones. */
  @SuppressWarnings("unchecked")
  static List<Map<String, Object>> parseAll(String yaml) {
    List<Map<String, Object>> docs = new ArrayList<>();
    for (Object doc : yaml().loadAll(yaml)) if (doc != null) docs.add((Map<String, Object>) doc);
    return docs;
  }

  @SuppressWarnings("unchecked")
  static Map<String, Object> parse(String yaml) {
    return (Map<String, Object>) yaml().load(yaml);
  }

  private static Yaml yaml() {
    return new Yaml(new SafeConstructor(new LoaderOptions()));
  }

  /** Walks nested maps and lists: path elements are map keys or list indexes. */
  @SuppressWarnings("unchecked")
  static <T> T at(Object node, Object... path) {
    Object current = node;
    for (Object step : path) {
      if (current == null) return null;
      current = step instanceof Integer i ? ((List<Object>) current).get(i) : ((Map<String, Object>) current).get(step);
    }
    return (T) current;
  }

  /** The output of one helm template call. */
  record Rendered(String yaml, List<Map<String, Object>> objects) {
    Rendered(String yaml) {
      this(yaml, parseAll(yaml));
    }

    Map<String, Object> get(String kind, String name) {
      return objects.stream()
          .filter(o -> kind.equals(o.get("kind")) && name.equals(at(o, "metadata", "name")))
          .findFirst()
          .orElseThrow(() -> new AssertionError("no " + kind + " " + name + " in:\n" + yaml));
    }

    boolean has(String kind, String name) {
      return objects.stream().anyMatch(o -> kind.equals(o.get("kind")) && name.equals(at(o, "metadata", "name")));
    }

    List<Map<String, Object>> ofKind(String kind) {
      return objects.stream().filter(o -> kind.equals(o.get("kind"))).toList();
    }

    Map<String, Object> deployment(String component) {
      return get("Deployment", PREFIX + component);
    }

    /** The single container of a component's pod. */
    Map<String, Object> container(String component) {
      List<Map<String, Object>> containers = at(deployment(component), "spec", "template", "spec", "containers");
      if (containers.size() != 1) throw new AssertionError("expected one container in " + component);
      return containers.get(0);
    }

    /** An env entry of a component's container, or null. */
    Map<String, Object> env(String component, String name) {
      List<Map<String, Object>> env = at(container(component), "env");
      return env.stream().filter(e -> name.equals(e.get("name"))).findFirst().orElse(null);
    }

    /**
     * The value a container sees for an env variable: a literal value, or the referenced ConfigMap
     * entry resolved against the rendered ConfigMap. Secret references are returned as "secret:name/key".
     */
    String envValue(String component, String name) {
      Map<String, Object> entry = env(component, name);
      if (entry == null) return null;
      if (entry.containsKey("value")) return Objects.toString(entry.get("value"));
      Map<String, Object> cm = at(entry, "valueFrom", "configMapKeyRef");
      if (cm != null) return Objects.toString(at(get("ConfigMap", (String) cm.get("name")), "data", cm.get("key")));
      Map<String, Object> secret = at(entry, "valueFrom", "secretKeyRef");
      if (secret != null) return "secret:" + secret.get("name") + "/" + secret.get("key");
      throw new AssertionError("unsupported env entry " + entry);
    }
  }
}
