package dev.sfd.core.autodiff;

/** Emits the backward nodes of one op type: reads output gradients, adds input gradients. */
@FunctionalInterface
public interface GradientRule {

    void backward(GradContext ctx);
}
