package dev.sfd.core.autodiff;

import ai.onnx.proto.OnnxMl.ModelProto;
import ai.onnx.proto.OnnxMl.TensorProto.DataType;
import ai.onnx.proto.OnnxMl.ValueInfoProto;
import ai.onnxruntime.OnnxTensor;
import ai.onnxruntime.OrtException;
import ai.onnxruntime.OrtSession;
import dev.sfd.core.onnx.OnnxCheck;
import dev.sfd.core.onnx.OrtSessions;
import java.nio.DoubleBuffer;
import java.nio.FloatBuffer;
import java.nio.LongBuffer;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Compares the gradients emitted by {@link ReverseMode} with central finite differences of the
 * forward graph, both run in ONNX Runtime. The error of a gradient tensor is
 * max |analytic − numeric| / max(max |numeric|, 1e-6): relative to the tensor's scale.
 */
final class GradCheck {

    /** A test input: {@code double[]} for float-type inputs (converted for FLOAT graphs) or {@code long[]}. */
    record In(long[] shape, Object data) {
        static In of(long[] shape, double[] data) {
            return new In(shape, data);
        }
    }

    private GradCheck() {
    }

    /** Checks d loss / d wrt and returns the largest error over all tensors in {@code wrt}. */
    static double maxError(ModelProto forward, String loss, Map<String, In> inputs, List<String> wrt, double h)
            throws OrtException {
        GradientGraph grads = ReverseMode.differentiate(forward, loss, wrt);
        OnnxCheck.check(forward);
        OnnxCheck.check(grads.model());
        Map<String, DataType> types = new HashMap<>();
        for (ValueInfoProto v : forward.getGraph().getInputList()) {
            types.put(v.getName(), DataType.forNumber(v.getType().getTensorType().getElemType()));
        }
        Map<String, double[]> analytic = new LinkedHashMap<>();
        try (OrtSession s = open(grads.model())) {
            Map<String, double[]> out = run(s, inputs, types, wrt.stream().map(grads.gradients()::get).toList());
            for (String p : wrt) {
                analytic.put(p, out.get(grads.gradients().get(p)));
            }
        }
        double worst = 0;
        try (OrtSession s = open(forward)) {
            for (String p : wrt) {
                double[] x = (double[]) inputs.get(p).data();
                double[] numeric = new double[x.length];
                for (int i = 0; i < x.length; i++) {
                    double keep = x[i];
                    x[i] = keep + h;
                    double up = run(s, inputs, types, List.of(loss)).get(loss)[0];
                    x[i] = keep - h;
                    double down = run(s, inputs, types, List.of(loss)).get(loss)[0];
                    x[i] = keep;
                    numeric[i] = (up - down) / (2 * h);
                }
                double scale = 1e-6;
                double diff = 0;
                double[] a = analytic.get(p);
                if (a.length != numeric.length) {
                    throw new AssertionError("gradient of " + p + " has " + a.length + " values, expected " + numeric.length);
                }
                for (int i = 0; i < a.length; i++) {
                    scale = Math.max(scale, Math.abs(numeric[i]));
                    diff = Math.max(diff, Math.abs(a[i] - numeric[i]));
                }
                worst = Math.max(worst, diff / scale);
            }
        }
        return worst;
    }

    /**
     * A one-thread session with basic optimisations only: ONNX Runtime's extended fusions turn
     * float64 MatMul/GELU patterns into contrib ops that exist only for float32.
     */
    static OrtSession open(ModelProto model) throws OrtException {
        try (OrtSession.SessionOptions options = new OrtSession.SessionOptions()) {
            options.setOptimizationLevel(OrtSession.SessionOptions.OptLevel.BASIC_OPT);
            options.setIntraOpNumThreads(1);
            return OrtSessions.environment().createSession(model.toByteArray(), options);
        }
    }

    /** Runs {@code session} on {@code inputs} and returns the requested outputs as doubles. */
    static Map<String, double[]> run(OrtSession session, Map<String, In> inputs, Map<String, DataType> types,
            List<String> outputs) {
        var env = OrtSessions.environment();
        Map<String, OnnxTensor> feed = new HashMap<>();
        try {
            for (var e : inputs.entrySet()) {
                In in = e.getValue();
                OnnxTensor t;
                if (in.data() instanceof long[] l) {
                    t = OnnxTensor.createTensor(env, LongBuffer.wrap(l), in.shape());
                } else if (types.get(e.getKey()) == DataType.FLOAT) {
                    double[] d = (double[]) in.data();
                    float[] f = new float[d.length];
                    for (int i = 0; i < d.length; i++) {
                        f[i] = (float) d[i];
                    }
                    t = OnnxTensor.createTensor(env, FloatBuffer.wrap(f), in.shape());
                } else {
                    t = OnnxTensor.createTensor(env, DoubleBuffer.wrap((double[]) in.data()), in.shape());
                }
                feed.put(e.getKey(), t);
            }
            try (OrtSession.Result r = session.run(feed, new java.util.LinkedHashSet<>(outputs))) {
                Map<String, double[]> out = new HashMap<>();
                for (String name : outputs) {
                    OnnxTensor t = (OnnxTensor) r.get(name).orElseThrow();
                    if (t.getInfo().type == ai.onnxruntime.OnnxJavaType.FLOAT) {
                        FloatBuffer fb = t.getFloatBuffer();
                        double[] d = new double[fb.remaining()];
                        for (int i = 0; i < d.length; i++) {
                            d[i] = fb.get(i);
                        }
                        out.put(name, d);
                    } else {
                        DoubleBuffer db = t.getDoubleBuffer();
                        double[] d = new double[db.remaining()];
                        db.get(d);
                        out.put(name, d);
                    }
                }
                return out;
            }
        } catch (OrtException e) {
            throw new IllegalStateException("run failed for inputs " + inputs.keySet() + ": " + e.getMessage(), e);
        } finally {
            feed.values().forEach(OnnxTensor::close);
        }
    }
}
