package dev.sfd.core.training;

import ai.onnx.proto.OnnxMl.ModelProto;
import ai.onnx.proto.OnnxMl.TensorProto;
import ai.onnx.proto.OnnxMl.ValueInfoProto;
import dev.sfd.core.autodiff.GradientGraph;
import dev.sfd.core.autodiff.ReverseMode;
import dev.sfd.core.onnx.GraphBuilder;
import dev.sfd.core.onnx.OnnxModel;
import dev.sfd.core.onnx.Tensors;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * One ONNX model that runs a training step: forward, loss, backward and (when built with
 * {@link #build}) Adam. Inputs: the batch inputs, the trainable parameters and, with Adam, their
 * moments, the step count and the learning rate. Outputs: {@link #LOSS}, the requested forward
 * values ({@code out.<name>}) and either the next value of every state input (with Adam) or the
 * gradient of every trainable parameter ({@link #gradients}). Frozen parameters stay initializers.
 *
 * @param model        the training model
 * @param batchInputs  inputs the caller feeds each step (network inputs, then loss inputs)
 * @param parameters   trainable parameter names with their dims
 * @param stateOutputs state input (parameter or moment) → output carrying its next value (empty
 *                     without Adam)
 * @param extraOutputs forward value → output name carrying it
 * @param gradientOutputs parameter → output carrying its gradient (empty with Adam in the graph)
 */
public record TrainingGraph(ModelProto model, List<String> batchInputs, Map<String, long[]> parameters,
        Map<String, String> stateOutputs, Map<String, String> extraOutputs, Map<String, String> gradientOutputs) {

    public static final String LOSS = "loss";

    /**
     * Builds the training step of {@code inference} (parameters as initializers) whose output
     * {@code prediction} feeds {@code loss}. {@code trainable} null means every parameter.
     */
    public static TrainingGraph build(OnnxModel inference, String prediction, Loss loss, Collection<String> trainable,
            AdamConfig adam, List<String> extraOutputs) {
        return build(inference, prediction, loss, trainable, adam, extraOutputs, true);
    }

    /**
     * As {@link #build} but without the optimiser: the model outputs the loss, the extra outputs
     * and {@code grad.<p>} for every trainable parameter p (for an optimiser applied outside the
     * graph, such as {@link TrainingRunner}'s fused Adam).
     */
    public static TrainingGraph gradients(OnnxModel inference, String prediction, Loss loss,
            Collection<String> trainable, List<String> extraOutputs) {
        return build(inference, prediction, loss, trainable, null, extraOutputs, false);
    }

    private static TrainingGraph build(OnnxModel inference, String prediction, Loss loss, Collection<String> trainable,
            AdamConfig adam, List<String> extraOutputs, boolean withAdam) {
        Map<String, TensorProto> all = inference.parameters();
        List<String> train = trainable == null ? List.copyOf(all.keySet()) : List.copyOf(trainable);
        Map<String, long[]> shapes = new LinkedHashMap<>();
        for (String p : train) {
            TensorProto t = all.get(p);
            if (t == null) {
                throw new IllegalArgumentException("model '" + inference.name() + "' has no parameter '" + p + "'");
            }
            if (t.getDataType() != TensorProto.DataType.FLOAT_VALUE) {
                throw new IllegalArgumentException("parameter '" + p + "' must be float32 to train");
            }
            shapes.put(p, Tensors.dims(t));
        }
        Set<String> networkInputs = new HashSet<>(inference.inputNames());

        GraphBuilder g = GraphBuilder.edit(inference.withParametersAsInputs(train).proto());
        if (!g.hasValue(prediction)) {
            throw new IllegalArgumentException("model '" + inference.name() + "' has no value '" + prediction + "'");
        }
        g.op("Identity", List.of(loss.append(g, prediction)), LOSS);
        List<String> batchInputs = new ArrayList<>(inference.inputNames());
        for (ValueInfoProto in : g.inputs()) {
            if (!networkInputs.contains(in.getName()) && !shapes.containsKey(in.getName())) {
                batchInputs.add(in.getName());
            }
        }
        GradientGraph grads = ReverseMode.differentiate(g.build(), LOSS, train);

        GraphBuilder step = GraphBuilder.edit(grads.model());
        step.clearOutputs();
        step.output(LOSS, step.floatType(), new Object[0]);
        Map<String, String> extras = new LinkedHashMap<>();
        for (String value : extraOutputs) {
            String name = "out." + value;
            step.op("Identity", List.of(value), name);
            step.output(name);
            extras.put(value, name);
        }
        Map<String, String> next = Map.of();
        Map<String, String> gradients = Map.of();
        if (withAdam) {
            next = AdamGraph.append(step, grads.gradients(), shapes, adam);
        } else {
            gradients = grads.gradients();
            gradients.forEach((p, output) -> step.output(output, step.floatType(), dims(shapes.get(p))));
        }
        step.metadata("sfd.graph", withAdam ? "training-step" : "training-gradients");
        return new TrainingGraph(step.build(), List.copyOf(batchInputs), shapes, next, extras, gradients);
    }

    private static Object[] dims(long[] dims) {
        Object[] d = new Object[dims.length];
        for (int i = 0; i < d.length; i++) {
            d[i] = dims[i];
        }
        return d;
    }
}
