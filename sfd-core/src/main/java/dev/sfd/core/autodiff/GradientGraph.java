package dev.sfd.core.autodiff;

import ai.onnx.proto.OnnxMl.ModelProto;
import java.util.Map;

/**
 * A forward graph extended with its backward pass.
 *
 * @param model     the combined model; outputs: the loss, then one gradient per parameter
 * @param loss      name of the loss output
 * @param gradients parameter name → name of its gradient output, in parameter order
 */
public record GradientGraph(ModelProto model, String loss, Map<String, String> gradients) {
}
