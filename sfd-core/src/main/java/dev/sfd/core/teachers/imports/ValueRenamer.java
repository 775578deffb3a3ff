package dev.sfd.core.teachers.imports;

import ai.onnx.proto.OnnxMl.GraphProto;
import ai.onnx.proto.OnnxMl.ModelProto;
import ai.onnx.proto.OnnxMl.NodeProto;
import ai.onnx.proto.OnnxMl.ValueInfoProto;
import java.util.Map;

/** Renames values of a graph everywhere they appear (inputs, outputs, node inputs/outputs, value infos). */
final class ValueRenamer {

    private ValueRenamer() {
    }

    static ModelProto rename(ModelProto model, Map<String, String> renames) {
        GraphProto g = model.getGraph();
        GraphProto.Builder b = g.toBuilder().clearInput().clearOutput().clearNode().clearValueInfo();
        for (ValueInfoProto v : g.getInputList()) {
            b.addInput(v.toBuilder().setName(renames.getOrDefault(v.getName(), v.getName())));
        }
        for (ValueInfoProto v : g.getOutputList()) {
            b.addOutput(v.toBuilder().setName(renames.getOrDefault(v.getName(), v.getName())));
        }
        for (ValueInfoProto v : g.getValueInfoList()) {
            b.addValueInfo(v.toBuilder().setName(renames.getOrDefault(v.getName(), v.getName())));
        }
        for (NodeProto n : g.getNodeList()) {
            NodeProto.Builder nb = n.toBuilder();
            for (int i = 0; i < n.getInputCount(); i++) {
                nb.setInput(i, renames.getOrDefault(n.getInput(i), n.getInput(i)));
            }
            for (int i = 0; i < n.getOutputCount(); i++) {
                nb.setOutput(i, renames.getOrDefault(n.getOutput(i), n.getOutput(i)));
            }
            b.addNode(nb);
        }
        for (int i = 0; i < b.getInitializerCount(); i++) {
            String name = b.getInitializer(i).getName();
            if (renames.containsKey(name)) {
                b.setInitializer(i, b.getInitializer(i).toBuilder().setName(renames.get(name)));
            }
        }
        return model.toBuilder().setGraph(b).build();
    }
}
