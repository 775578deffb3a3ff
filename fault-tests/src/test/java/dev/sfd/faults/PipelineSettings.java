package dev.sfd.faults;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Properties;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.common.serialization.StringSerializer;

/**
 * What the fault classes that run the whole pipeline start from: the three services' settings for
 * one mixture2d student (K 4, N 3, a checkpoint every few steps, short idle end and polls so a
 * class finishes in minutes), and a prompt producer that rides out a broker restart. Each class
 * puts what its fault needs on top.
 */
final class PipelineSettings {

    private PipelineSettings() {
    }

    /** Settings shared by teacher, trainer and sampler (one map; each service reads its own keys). */
    static Map<String, String> mixture2d(String student, int grpcPort) {
        Map<String, String> s = new LinkedHashMap<>();
        s.put("sfd.teacher.model", "mixture2d");
        s.put("sfd.distill.solver", "dpm++2m");
        s.put("sfd.distill.k", "4");
        s.put("sfd.distill.step-counts", "3");
        s.put("sfd.trainer.student-name", student);
        s.put("sfd.trainer.budget", "1000000");
        s.put("sfd.trainer.keep-versions", "1000");
        s.put("sfd.trainer.idle-end", "4s");
        s.put("sfd.sampler.student", student);
        s.put("sfd.sampler.poll-interval", "5s");
        s.put("quarkus.grpc.server.port", Integer.toString(grpcPort));
        return s;
    }

    /** Idempotent, acks=all, with timeouts long enough to wait through a broker restart. */
    static KafkaProducer<String, String> promptProducer(String bootstrap) {
        Properties p = new Properties();
        p.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap);
        p.put(ProducerConfig.ACKS_CONFIG, "all");
        p.put(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, true);
        p.put(ProducerConfig.LINGER_MS_CONFIG, 20);
        p.put(ProducerConfig.DELIVERY_TIMEOUT_MS_CONFIG, 300_000);
        p.put(ProducerConfig.REQUEST_TIMEOUT_MS_CONFIG, 15_000);
        p.put(ProducerConfig.MAX_BLOCK_MS_CONFIG, 180_000);
        return new KafkaProducer<>(p, new StringSerializer(), new StringSerializer());
    }
}
