package dev.sfd.helm;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

/** NOTES.txt, as printed after an install (client-only dry run: no cluster involved). */
class NotesTest {

  private static String notes(String... keyValues) {
    var install = Chart.helm().install().withName(Chart.RELEASE).withNamespace(Chart.NAMESPACE).dryRun().clientOnly();
    for (int i = 0; i < keyValues.length; i += 2) install = install.set(keyValues[i], keyValues[i + 1]);
    return install.call().getOutput();
  }

  @Test
  void tellsHowToReachGrpcAndWatchLag() {
    String notes = notes("sampler.grpc.port", "9443", "s3.existingSecret", "team-s3");
    assertTrue(notes.contains("kubectl -n ml port-forward svc/demo-sfd-sampler 9443:grpc"), notes);
    assertTrue(notes.contains("kafka-consumer-groups.sh --bootstrap-server kafka:9092 --describe --all-groups"), notes);
    assertFalse(notes.contains("no S3 credentials"), notes);
  }

  @Test
  void tellsHowToPublishAPromptCallTheSamplerAndOpenTheDashboard() {
    String notes = notes("s3.existingSecret", "team-s3");
    assertTrue(notes.contains("--topic sfd.prompts --property parse.key=true"), notes);
    assertTrue(notes.contains("grpcurl -plaintext -d"), notes);
    assertTrue(notes.contains("localhost:9190 sfd.v1.Sampler/Generate"), notes);
    assertTrue(notes.contains("deploy/monitoring/sfd-dashboard.json"), notes);
    assertTrue(notes.contains("teacher group sfd-teacher on sfd.prompts"), notes);
  }

  @Test
  void warnsWithoutS3Credentials() {
    assertTrue(notes().contains("WARNING: no S3 credentials configured"));
  }
}
