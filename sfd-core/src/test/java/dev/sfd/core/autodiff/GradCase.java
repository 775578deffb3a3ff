package dev.sfd.core.autodiff;

import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.onnx.proto.OnnxMl.TensorProto.DataType;
import dev.sfd.core.onnx.GraphBuilder;
import dev.sfd.core.onnx.Tensors;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;

/**
 * One finite-difference test case: declare inputs (random data, fixed seed), build an output Y
 * with the graph builder, then {@link #check} differentiates a loss of Y with
 * respect to every float input (loss = Σ Y·(0.5·Y + 0.3), so dY = Y + 0.3 varies) and compares with central differences.
 */
final class GradCase {

    /** Errors by case name, for the report. */
    static final Map<String, Double> ERRORS = new LinkedHashMap<>();

    final String name;
    final GraphBuilder g;
    private final Random random = new Random(42);
    private final Map<String, GradCheck.In> inputs = new LinkedHashMap<>();
    private final List<String> wrt = new ArrayList<>();

    GradCase(String name) {
        this(name, DataType.DOUBLE);
    }

    GradCase(String name, DataType type) {
        this(name, type, GraphBuilder.OPSET);
    }

    GradCase(String name, DataType type, int opset) {
        this.name = name;
        this.g = GraphBuilder.create(name, type, opset);
    }

    /** A differentiated input with fixed dims and values uniform in [lo, hi]. */
    String inRange(String name, double lo, double hi, long... dims) {
        g.input(name, dims);
        return add(name, dims, lo, hi);
    }

    /** A differentiated input in [-1, 1]. */
    String in(String name, long... dims) {
        return inRange(name, -1, 1, dims);
    }

    /** A differentiated input whose dims are all symbolic in the graph (exercises runtime shapes). */
    String dyn(String name, long... dims) {
        Object[] symbolic = new Object[dims.length];
        for (int i = 0; i < dims.length; i++) {
            symbolic[i] = name + "_d" + i;
        }
        g.input(name, g.floatType(), symbolic);
        return add(name, dims, -1, 1);
    }

    /** A differentiated parameter (initializer). */
    String param(String name, long... dims) {
        double[] v = values(dims, -1, 1);
        g.parameter(name, dims, v);
        wrt.add(name);
        return name;
    }

    /** A float input with values in [lo, hi], not differentiated. */
    String fixed(String name, double lo, double hi, long... dims) {
        g.input(name, dims);
        inputs.put(name, new GradCheck.In(dims, values(dims, lo, hi)));
        return name;
    }

    /** Differentiates with respect to every initializer of the graph built so far. */
    void allParameters() {
        g.initializers().keySet().stream().filter(p -> !wrt.contains(p)).forEach(wrt::add);
    }

    /** An int64 input, not differentiated. */
    String ints(String name, long[] dims, long[] values) {
        g.input(name, DataType.INT64, (Object[]) box(dims));
        inputs.put(name, new GradCheck.In(dims, values));
        return name;
    }

    /** Differentiates and asserts the relative error is below tolerance (1e-6 double, 2e-2 float). */
    double check(String y) throws Exception {
        String loss = g.reduceSum(g.mul(y, g.add(g.scale(y, 0.5), g.scalar(0.3))), false);
        g.output(loss);
        boolean dbl = g.floatType() == DataType.DOUBLE;
        // initializer parameters are not inputs: feed their values through the check as graph inputs
        var model = g.build();
        List<String> params = wrt.stream().filter(p -> !inputs.containsKey(p)).toList();
        if (!params.isEmpty()) {
            var b = GraphBuilder.edit(model);
            for (String p : params) {
                var t = b.initializers().get(p);
                inputs.put(p, new GradCheck.In(Tensors.dims(t), Tensors.toDoubles(t)));
                b.promoteToInput(p);
            }
            model = b.build();
        }
        double error = GradCheck.maxError(model, loss, inputs, wrt, dbl ? 1e-6 : 1e-2);
        ERRORS.put(name, error);
        double tol = dbl ? 1e-6 : 2e-2;
        assertTrue(error < tol, name + ": gradient error " + error + " >= " + tol);
        return error;
    }

    private String add(String name, long[] dims, double lo, double hi) {
        inputs.put(name, new GradCheck.In(dims, values(dims, lo, hi)));
        wrt.add(name);
        return name;
    }

    private double[] values(long[] dims, double lo, double hi) {
        double[] v = new double[(int) Tensors.count(dims)];
        for (int i = 0; i < v.length; i++) {
            v[i] = lo + (hi - lo) * random.nextDouble();
        }
        return v;
    }

    private static Long[] box(long[] dims) {
        Long[] b = new Long[dims.length];
        for (int i = 0; i < dims.length; i++) {
            b[i] = dims[i];
        }
        return b;
    }
}
