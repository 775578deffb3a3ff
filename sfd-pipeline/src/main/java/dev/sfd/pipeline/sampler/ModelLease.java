package dev.sfd.pipeline.sampler;

import java.util.concurrent.atomic.AtomicBoolean;

/** A request's hold on a {@link LoadedModel}: the session stays open until {@link #close()}. */
public final class ModelLease implements AutoCloseable {

    private final LoadedModel model;
    private final AtomicBoolean released = new AtomicBoolean();

    ModelLease(LoadedModel model) {
        this.model = model;
    }

    public LoadedModel model() {
        return model;
    }

    @Override
    public void close() {
        if (released.compareAndSet(false, true)) {
            model.release();
        }
    }
}
