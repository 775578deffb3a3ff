package dev.sfd.core.training;

import dev.sfd.core.onnx.GraphBuilder;

/**
 * A training loss appended to a forward graph: given the network's prediction, adds the nodes
 * (and any extra inputs such as targets or weights) of a scalar loss and returns its name.
 */
@FunctionalInterface
public interface Loss {

    String append(GraphBuilder g, String prediction);
}
