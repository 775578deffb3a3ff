package dev.sfd.sampler;

import grpc.health.v1.HealthOuterClass.HealthCheckRequest;
import grpc.health.v1.HealthOuterClass.HealthCheckResponse;
import io.grpc.ForwardingServerCall;
import io.grpc.ForwardingServerCallListener;
import io.grpc.Metadata;
import io.grpc.ServerCall;
import io.grpc.ServerCallHandler;
import io.grpc.ServerInterceptor;
import io.grpc.Status;
import io.quarkus.grpc.GlobalInterceptor;
import io.quarkus.grpc.runtime.health.GrpcHealthStorage;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.TreeSet;

/**
 * The standard health protocol's answer for a service the server does not know:
 * {@code grpc.health.v1.Health/Check} fails with status NOT_FOUND (Quarkus' own endpoint answers
 * OK with serving status UNKNOWN). Known services, and the server as a whole (""), answer as before.
 */
@ApplicationScoped
@GlobalInterceptor
public class HealthCheckNotFound implements ServerInterceptor {

    static final String CHECK = "grpc.health.v1.Health/Check";

    private final GrpcHealthStorage health;

    public HealthCheckNotFound(GrpcHealthStorage health) {
        this.health = health;
    }

    @Override
    public <Q, R> ServerCall.Listener<Q> interceptCall(ServerCall<Q, R> call, Metadata headers,
                                                      ServerCallHandler<Q, R> next) {
        if (!CHECK.equals(call.getMethodDescriptor().getFullMethodName())) {
            return next.startCall(call, headers);
        }
        String[] asked = {null};
        boolean[] unknown = {false};
        ServerCall<Q, R> checked = new ForwardingServerCall.SimpleForwardingServerCall<>(call) {
            @Override
            public void sendMessage(R message) {
                if (message instanceof HealthCheckResponse && asked[0] != null
                        && !health.getStatuses().containsKey(asked[0])) {
                    unknown[0] = true; // answered below, as a status
                    return;
                }
                super.sendMessage(message);
            }

            @Override
            public void close(Status status, Metadata trailers) {
                if (unknown[0] && status.isOk()) {
                    super.close(Status.NOT_FOUND.withDescription("service: '" + asked[0] + "' is not served here;"
                            + " known: " + new TreeSet<>(health.getStatuses().keySet()) + " (\"\" = the whole server)"),
                            new Metadata());
                    return;
                }
                super.close(status, trailers);
            }
        };
        return new ForwardingServerCallListener.SimpleForwardingServerCallListener<>(next.startCall(checked, headers)) {
            @Override
            public void onMessage(Q message) {
                if (message instanceof HealthCheckRequest r) {
                    asked[0] = r.getService();
                }
                super.onMessage(message);
            }
        };
    }
}
