package dev.sfd.helm;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * Runs helm-tests/schema/validate.mjs (Node) over rendered objects: the Kubernetes API schemas of the
 * npm packages kubernetes-models, @kubernetes-models/keda and @kubernetes-models/prometheus-operator
 * (pinned in schema/package-lock.json). Installs them with `npm ci` on first use.
 */
final class SchemaValidator {

  record Result(int exitCode, String output) {}

  private SchemaValidator() {}

  static Path dir() {
    return Chart.repoRoot().resolve("helm-tests/schema");
  }

  static synchronized void install() throws IOException, InterruptedException {
    if (Files.isDirectory(dir().resolve("node_modules/kubernetes-models"))) return;
    Result r = run(List.of("npm", "ci", "--no-audit", "--no-fund"), null, 600);
    if (r.exitCode() != 0) {
      throw new IllegalStateException("npm ci in " + dir() + " failed (needs node >= 20 and the npm registry):\n" + r.output());
    }
  }

  static Result validate(List<Map<String, Object>> objects) throws IOException, InterruptedException {
    install();
    return run(List.of("node", "validate.mjs"), new ObjectMapper().writeValueAsBytes(objects), 120);
  }

  private static Result run(List<String> command, byte[] stdin, int timeoutSeconds) throws IOException, InterruptedException {
    Process p = new ProcessBuilder(command).directory(dir().toFile()).redirectErrorStream(true).start();
    try (OutputStream in = p.getOutputStream()) {
      if (stdin != null) in.write(stdin);
    }
    String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    if (!p.waitFor(timeoutSeconds, TimeUnit.SECONDS)) {
      p.destroyForcibly();
      throw new IllegalStateException(command + " did not finish in " + timeoutSeconds + " s");
    }
    return new Result(p.exitValue(), out);
  }
}
