package dev.sfd.sampler;

import dev.sfd.pipeline.sampler.SamplerException;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutionException;
import org.jboss.logging.Logger;

/** Maps stage errors to gRPC statuses: a {@link SamplerException} kind is the status code of the same name. */
final class GrpcErrors {

    private static final Logger LOG = Logger.getLogger(GrpcErrors.class);

    private GrpcErrors() {
    }

    static StatusRuntimeException toStatus(Throwable error) {
        Throwable e = error;
        while ((e instanceof CompletionException || e instanceof ExecutionException) && e.getCause() != null) {
            e = e.getCause();
        }
        if (e instanceof StatusRuntimeException s) {
            return s;
        }
        if (e instanceof SamplerException s) {
            return Status.fromCode(Status.Code.valueOf(s.kind().name())).withDescription(s.getMessage())
                    .asRuntimeException();
        }
        LOG.error("unexpected sampler failure", e);
        return Status.INTERNAL.withDescription("unexpected sampler failure: " + e).withCause(e).asRuntimeException();
    }
}
