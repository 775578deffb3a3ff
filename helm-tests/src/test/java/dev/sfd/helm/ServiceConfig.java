package dev.sfd.helm;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.producer.ProducerConfig;

/**
 * The configuration properties one service really reads, taken from its sources: the keys of its
 * application.properties (profile-less), every {@code @ConfigProperty(name = ...)}, every method of a
 * {@code @ConfigMapping(prefix = ...)} interface (prefix + kebab-case name), and the contract's
 * {@code sfd.topic.*} defaults. Environment names map to properties the Quarkus way: upper case, every
 * character other than a letter or digit becomes '_'.
 */
record ServiceConfig(String module, Map<String, Boolean> properties) {

  /** Component in the chart -> Maven module. */
  static final Map<String, String> MODULES =
      Map.of("teacher", "teacher-service", "trainer", "student-trainer", "sampler", "sampler-service");

  /**
   * Environment read by something other than the configuration: the image's entrypoint (JAVA_OPTS*)
   * and BuiltinTeachers (SFD_MODELS_DIR, a plain getenv). Each is checked against the file that reads it.
   */
  static final Map<String, String> NON_CONFIG_ENV = Map.of(
      "JAVA_OPTS", "docker/Dockerfile.jvm",
      "JAVA_OPTS_APPEND", "docker/Dockerfile.jvm",
      "SFD_MODELS_DIR", "sfd-core/src/main/java/dev/sfd/core/teachers/BuiltinTeachers.java");

  private static final Pattern CONFIG_PROPERTY = Pattern.compile("@ConfigProperty\\(\\s*name\\s*=\\s*\"([^\"]+)\"([^)]*)\\)");
  private static final Pattern MAPPING = Pattern.compile("@ConfigMapping\\(\\s*prefix\\s*=\\s*\"([^\"]+)\"");
  private static final Pattern METHOD = Pattern.compile(
      "((?:@WithDefault\\(\"[^\"]*\"\\)\\s*)?)(?:@\\w+(?:\\([^)]*\\))?\\s*)*([\\w.<>]+)\\s+(\\w+)\\(\\)\\s*;");
  private static final Pattern TOPIC_KEY = Pattern.compile("\"(sfd\\.topic\\.[a-z-]+)\"");

  static String envName(String property) {
    return property.toUpperCase(Locale.ROOT).replaceAll("[^A-Z0-9]", "_");
  }

  static ServiceConfig of(String component) {
    String module = MODULES.get(component);
    if (module == null) throw new IllegalArgumentException("unknown component " + component);
    Path root = Chart.repoRoot();
    // property -> has a default somewhere (application.properties, @WithDefault, defaultValue, Optional)
    Map<String, Boolean> props = new TreeMap<>();
    for (String line : read(root.resolve(module + "/src/main/resources/application.properties")).split("\n")) {
      String l = line.strip();
      if (l.isEmpty() || l.startsWith("#") || l.startsWith("%")) continue;
      int eq = l.indexOf('=');
      if (eq > 0) props.put(l.substring(0, eq).strip(), !l.substring(eq + 1).isBlank());
    }
    List<Path> sources = new ArrayList<>(javaFiles(root.resolve(module + "/src/main/java")));
    // service-common's object store mapping serves the services that use the object store; the teacher
    // excludes it (application.properties: quarkus.arc.exclude-types).
    if (!component.equals("teacher")) sources.addAll(javaFiles(root.resolve("service-common/src/main/java")));
    for (Path file : sources) {
      String src = read(file);
      Matcher m = CONFIG_PROPERTY.matcher(src);
      while (m.find()) props.merge(m.group(1), m.group(2).contains("defaultValue"), Boolean::logicalOr);
      Matcher mapping = MAPPING.matcher(src);
      if (mapping.find()) {
        String prefix = mapping.group(1);
        Matcher method = METHOD.matcher(src.substring(src.indexOf('{', mapping.end())));
        while (method.find()) {
          boolean defaulted = !method.group(1).isEmpty() || method.group(2).startsWith("Optional");
          props.merge(prefix + "." + kebab(method.group(3)), defaulted, Boolean::logicalOr);
        }
      }
    }
    Matcher topics = TOPIC_KEY.matcher(read(root.resolve("sfd-contract/src/main/java/dev/sfd/contract/Topics.java")));
    while (topics.find()) props.put(topics.group(1), true);
    return new ServiceConfig(module, props);
  }

  /** The property an environment variable sets in this service, or null when it sets none. */
  String propertyOf(String env) {
    for (String p : properties.keySet()) if (envName(p).equals(env)) return p;
    if (env.startsWith("KAFKA_")) {
      // Quarkus hands every kafka.* / KAFKA_* setting to all Kafka clients of the service.
      String client = env.substring("KAFKA_".length()).toLowerCase(Locale.ROOT).replace('_', '.');
      if (ConsumerConfig.configNames().contains(client) && ProducerConfig.configNames().contains(client)) {
        return "kafka." + client;
      }
    }
    return null;
  }

  /** Properties that have no default anywhere: a deployment must set them. */
  Set<String> withoutDefault() {
    Set<String> out = new TreeSet<>();
    properties.forEach((p, defaulted) -> {
      if (!defaulted) out.add(p);
    });
    return out;
  }

  static String kebab(String camel) {
    return camel.replaceAll("([a-z0-9])([A-Z])", "$1-$2").toLowerCase(Locale.ROOT);
  }

  static String read(Path file) {
    try {
      return Files.readString(file);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private static List<Path> javaFiles(Path dir) {
    try (Stream<Path> files = Files.walk(dir)) {
      return files.filter(f -> f.toString().endsWith(".java")).toList();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
