package dev.sfd.core.teachers.imports;

import ai.onnx.proto.OnnxMl.GraphProto;
import ai.onnx.proto.OnnxMl.NodeProto;
import ai.onnx.proto.OnnxMl.TensorProto;
import ai.onnx.proto.OnnxMl.TensorProto.DataType;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Float initializers of an exported graph that are constants, not weights: single numbers (the 2
 * of {@code x.pow(2)}, a LayerNorm ε, a 1.0 added to σ²) and values used only where an op reads
 * settings (Resize scales, Clip bounds, Pad values, a Pow exponent). Training them would be
 * meaningless, and some have undefined gradients (d/dp of a^p at a ≤ 0), so they stay fixed.
 */
final class FrozenConstants {

    /** Op type → input positions that hold settings rather than data. */
    private static final Map<String, Set<Integer>> SETTING_SLOTS = Map.of("Resize", Set.of(1, 2, 3),
            "Clip", Set.of(1, 2), "Pad", Set.of(1, 2, 3), "Pow", Set.of(1), "Upsample", Set.of(1));

    private FrozenConstants() {
    }

    static List<String> of(GraphProto graph) {
        Map<String, Boolean> dataUse = new HashMap<>();
        for (NodeProto n : graph.getNodeList()) {
            Set<Integer> settings = SETTING_SLOTS.getOrDefault(n.getOpType(), Set.of());
            for (int i = 0; i < n.getInputCount(); i++) {
                boolean data = !settings.contains(i);
                dataUse.merge(n.getInput(i), data, Boolean::logicalOr);
            }
        }
        List<String> frozen = new ArrayList<>();
        for (TensorProto t : graph.getInitializerList()) {
            if (t.getDataType() != DataType.FLOAT_VALUE && t.getDataType() != DataType.DOUBLE_VALUE) {
                continue;
            }
            long count = 1;
            for (long d : t.getDimsList()) {
                count *= d;
            }
            if (count <= 1 || !dataUse.getOrDefault(t.getName(), false)) {
                frozen.add(t.getName());
            }
        }
        return frozen;
    }
}
