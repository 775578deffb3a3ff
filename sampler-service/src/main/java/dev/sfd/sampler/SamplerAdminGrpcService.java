package dev.sfd.sampler;

import dev.sfd.api.v1.ModelInfoResponse;
import dev.sfd.api.v1.PinRequest;
import dev.sfd.api.v1.RollbackRequest;
import dev.sfd.api.v1.SamplerAdminGrpc;
import dev.sfd.api.v1.UnpinRequest;
import dev.sfd.pipeline.sampler.SamplerException;
import io.grpc.stub.StreamObserver;
import io.quarkus.grpc.GrpcService;
import io.smallrye.common.annotation.Blocking;
import java.util.function.Supplier;
import org.jboss.logging.Logger;

/** sfd.v1.SamplerAdmin: pin, roll back, unpin (each may load a model, so they run on worker threads). */
@GrpcService
public class SamplerAdminGrpcService extends SamplerAdminGrpc.SamplerAdminImplBase {

    private static final Logger LOG = Logger.getLogger(SamplerAdminGrpcService.class);

    private final SamplerRuntime runtime;

    public SamplerAdminGrpcService(SamplerRuntime runtime) {
        this.runtime = runtime;
    }

    @Override
    @Blocking
    public void pin(PinRequest request, StreamObserver<ModelInfoResponse> response) {
        run(response, "pin v" + request.getVersion(), () -> {
            if (request.getVersion() < 1) {
                throw SamplerException.invalid("version", "must be >= 1, got " + request.getVersion());
            }
            return runtime.live().pin(request.getVersion());
        });
    }

    @Override
    @Blocking
    public void rollback(RollbackRequest request, StreamObserver<ModelInfoResponse> response) {
        run(response, "rollback", () -> runtime.live().rollback());
    }

    @Override
    @Blocking
    public void unpin(UnpinRequest request, StreamObserver<ModelInfoResponse> response) {
        run(response, "unpin", () -> runtime.live().unpin());
    }

    private void run(StreamObserver<ModelInfoResponse> response, String what, Supplier<Object> action) {
        try {
            Object outcome = action.get();
            LOG.infof("admin %s: %s", what, outcome);
            response.onNext(SampleEncoder.info(runtime.live()));
            response.onCompleted();
        } catch (RuntimeException e) {
            response.onError(GrpcErrors.toStatus(e));
        }
    }
}
