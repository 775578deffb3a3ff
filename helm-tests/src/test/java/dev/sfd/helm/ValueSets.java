package dev.sfd.helm;

import java.util.LinkedHashMap;
import java.util.Map;

/** The values combinations every manifest check runs over (issue 15: default, external Kafka/S3, GPUs, KEDA, TLS). */
final class ValueSets {

  private ValueSets() {}

  static Map<String, String[]> all() {
    Map<String, String[]> sets = new LinkedHashMap<>();
    // helm template leaves hooks out: the topics Job shows up as a plain Job (asHook=false) in the last set.
    sets.put("default", new String[0]);
    sets.put("external-kafka-s3", new String[] {
        "kafka.bootstrapServers", "kafka-0.kafka.svc:9092,kafka-1.kafka.svc:9092",
        "kafka.topics.create", "false",
        "s3.endpoint", "https://s3.eu-west-1.amazonaws.com",
        "s3.region", "eu-west-1",
        "s3.bucket", "team-checkpoints",
        "s3.existingSecret", "team-s3"});
    sets.put("gpus", new String[] {"gpu.enabled", "true", "gpu.nodeSelector.gpu-node", "yes"});
    sets.put("keda", new String[] {"keda.enabled", "true", "keda.minReplicaCount", "0"});
    sets.put("tls", new String[] {"kafkaTls.enabled", "true", "kafkaTls.caSecret", "kafka-ca", "keda.enabled", "true"});
    sets.put("sasl-ssl-s3-ca", new String[] {"kafkaTls.enabled", "true", "kafkaTls.caSecret", "kafka-ca",
        "kafkaSasl.enabled", "true", "kafkaSasl.existingSecret", "kafka-user", "s3.caSecret", "s3-ca",
        "keda.enabled", "true"});
    sets.put("everything-optional", new String[] {
        "sampler.autoscaling.enabled", "true", "sampler.service.headless", "true", "serviceMonitor.enabled", "true",
        "s3.accessKey", "ak", "s3.secretKey", "sk", "sampler.grpc.separateServer", "false",
        "sampler.preferredBatchSizes[0]", "8", "sampler.preferredBatchSizes[1]", "16",
        "kafka.topics.asHook", "false", "sampler.pipeline", "/deployments/models/shapes-sd"});
    return sets;
  }
}
