package dev.sfd.core.onnx;

import ai.onnx.proto.OnnxMl.AttributeProto;
import ai.onnx.proto.OnnxMl.NodeProto;
import ai.onnx.proto.OnnxMl.TensorProto;

/** Builds and reads ONNX node attributes. */
public final class Attrs {

    private Attrs() {
    }

    public static AttributeProto i(String name, long value) {
        return AttributeProto.newBuilder().setName(name).setType(AttributeProto.AttributeType.INT).setI(value).build();
    }

    public static AttributeProto f(String name, double value) {
        return AttributeProto.newBuilder().setName(name).setType(AttributeProto.AttributeType.FLOAT)
                .setF((float) value).build();
    }

    public static AttributeProto s(String name, String value) {
        return AttributeProto.newBuilder().setName(name).setType(AttributeProto.AttributeType.STRING)
                .setS(com.google.protobuf.ByteString.copyFromUtf8(value)).build();
    }

    public static AttributeProto ints(String name, long... values) {
        AttributeProto.Builder b = AttributeProto.newBuilder().setName(name).setType(AttributeProto.AttributeType.INTS);
        for (long v : values) {
            b.addInts(v);
        }
        return b.build();
    }

    public static AttributeProto tensor(String name, TensorProto value) {
        return AttributeProto.newBuilder().setName(name).setType(AttributeProto.AttributeType.TENSOR).setT(value).build();
    }

    /** The attribute {@code name} of {@code node}, or null. */
    public static AttributeProto find(NodeProto node, String name) {
        for (AttributeProto a : node.getAttributeList()) {
            if (a.getName().equals(name)) {
                return a;
            }
        }
        return null;
    }

    public static long getInt(NodeProto node, String name, long fallback) {
        AttributeProto a = find(node, name);
        return a == null ? fallback : a.getI();
    }

    public static float getFloat(NodeProto node, String name, float fallback) {
        AttributeProto a = find(node, name);
        return a == null ? fallback : a.getF();
    }

    public static String getString(NodeProto node, String name, String fallback) {
        AttributeProto a = find(node, name);
        return a == null ? fallback : a.getS().toStringUtf8();
    }

    /** INTS attribute as an array, or null when absent. */
    public static long[] getInts(NodeProto node, String name) {
        AttributeProto a = find(node, name);
        if (a == null) {
            return null;
        }
        return a.getIntsList().stream().mapToLong(Long::longValue).toArray();
    }
}
