package dev.sfd.contract;

/**
 * Default ports of the services. None clashes with the local stack (Kafka 9092/9093, S3 9000).
 */
public final class ServicePorts {

    public static final int TEACHER_HTTP = 8081;
    public static final int TRAINER_HTTP = 8082;
    public static final int SAMPLER_HTTP = 8083;
    /** sampler-service gRPC (a separate server: Quarkus' default gRPC port 9000 is the S3 port). */
    public static final int SAMPLER_GRPC = 9190;

    private ServicePorts() {
    }
}
