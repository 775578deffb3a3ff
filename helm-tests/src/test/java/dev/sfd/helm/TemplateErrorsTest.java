package dev.sfd.helm;

import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

/** Values that cannot work fail the render with Helm's own "execution error" and a message naming the key. */
class TemplateErrorsTest {

  static IllegalStateException renderFails(String... keyValues) {
    return assertThrows(IllegalStateException.class, () -> Chart.render(keyValues));
  }

  @Test
  void missingKafkaBootstrapServers() {
    IllegalStateException e = renderFails("kafka.bootstrapServers", "");
    assertTrue(e.getMessage().contains("execution error at (sfd/templates/"), e.getMessage());
    assertTrue(e.getMessage().contains("kafka.bootstrapServers is required"), e.getMessage());
  }

  @Test
  void trainerCannotScaleOut() {
    IllegalStateException e = renderFails("trainer.replicas", "3");
    assertTrue(e.getMessage().contains("execution error at (sfd/templates/trainer.yaml"), e.getMessage());
    assertTrue(e.getMessage().contains("trainer.replicas must be 1 (got 3)"), e.getMessage());
    assertTrue(e.getMessage().contains("optimiser state"), e.getMessage());
  }

  @Test
  void halfOfTheInlineCredentials() {
    IllegalStateException e = renderFails("s3.accessKey", "AKIA-TEST");
    assertTrue(e.getMessage().contains("s3.secretKey is required when s3.accessKey is set"), e.getMessage());
  }

  @Test
  void missingS3Endpoint() {
    IllegalStateException e = renderFails("s3.endpoint", "");
    assertTrue(e.getMessage().contains("s3.endpoint is required"), e.getMessage());
  }
}
