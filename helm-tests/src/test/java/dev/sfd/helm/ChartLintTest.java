package dev.sfd.helm;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.marcnuri.helm.LintResult;
import org.junit.jupiter.api.Test;

/** helm lint --strict: warnings count as failures, and hook templates are rendered too. */
class ChartLintTest {

  @Test
  void strictLintPasses() {
    LintResult result = Chart.helm().lint().strict().call();
    assertFalse(result.isFailed(), () -> String.join("\n", result.getMessages()));
    assertTrue(result.getMessages().stream().noneMatch(m -> m.contains("[ERROR]") || m.contains("[WARNING]")),
        () -> String.join("\n", result.getMessages()));
  }
}
