package dev.sfd.core.teachers.imports;

import ai.onnx.proto.OnnxMl.TensorProto.DataType;
import ai.onnx.proto.OnnxMl.TensorShapeProto;
import ai.onnx.proto.OnnxMl.ValueInfoProto;
import dev.sfd.core.teachers.imports.ImportOptions.Prediction;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Which of a foreign model's inputs is the sample, the time and the condition, which output is
 * the prediction and what it predicts, and the sample shape: from the flags when given, else
 * by name, else the only input that fits. Each decision is appended to the import's report.
 */
final class SignatureDetection {

    private static final List<String> SAMPLE_NAMES = List.of("x", "sample", "x_t", "xt", "noisy", "noisy_sample",
            "latent", "latents", "z", "input", "image");
    private static final List<String> TIME_NAMES = List.of("t", "timestep", "timesteps", "sigma", "sigmas", "time",
            "noise_level", "noise_labels", "t_in");
    private static final List<String> COND_NAMES = List.of("cond", "class_labels", "labels", "label", "y", "class",
            "classes", "encoder_hidden_states", "context", "text_embeddings");
    private static final List<String> OUTPUT_NAMES = List.of("eps", "noise_pred", "out_sample", "sample", "out",
            "output", "pred", "x0", "denoised", "v", "v_pred");

    private final ImportOptions o;
    private final List<String> decisions;

    SignatureDetection(ImportOptions o, List<String> decisions) {
        this.o = o;
        this.decisions = decisions;
    }

    String sampleInput(Map<String, ValueInfoProto> inputs) {
        return pick("sample input", "--sample-input", o.sampleInput, inputs, SAMPLE_NAMES,
                v -> isFloat(v) && rank(v) >= 2, List.of());
    }

    String timeInput(Map<String, ValueInfoProto> inputs, String sample) {
        return pick("time input", "--time-input", o.timeInput, inputs, TIME_NAMES,
                v -> rank(v) <= 1 && (isFloat(v) || isInt(v)), List.of(sample));
    }

    interface Fits {
        boolean test(ValueInfoProto v);
    }

    String pick(String what, String flag, String given, Map<String, ValueInfoProto> inputs, List<String> names,
            Fits fits, List<String> taken) {
        if (given != null) {
            if (!inputs.containsKey(given)) {
                throw new ImportException(flag + " NAME", "the model has no input '" + given + "' for the " + what
                        + "; its inputs are " + describeAll(inputs));
            }
            decisions.add(what + ": '" + given + "' (given by " + flag + ")");
            return given;
        }
        for (String n : names) {
            for (String in : inputs.keySet()) {
                if (in.equalsIgnoreCase(n) && !taken.contains(in) && fits.test(inputs.get(in))) {
                    decisions.add(what + ": '" + in + "' (detected by name; override with " + flag + ")");
                    return in;
                }
            }
        }
        List<String> fitting = inputs.keySet().stream().filter(in -> !taken.contains(in))
                .filter(in -> fits.test(inputs.get(in))).toList();
        if (fitting.size() == 1) {
            decisions.add(what + ": '" + fitting.get(0) + "' (the only fitting input; override with " + flag + ")");
            return fitting.get(0);
        }
        throw new ImportException(flag + " NAME", "cannot tell which input is the " + what + " among "
                + describeAll(inputs));
    }

    String pickCond(Map<String, ValueInfoProto> inputs, String sample, String time) {
        List<String> rest = inputs.keySet().stream().filter(n -> !n.equals(sample) && !n.equals(time)).toList();
        if (o.condInput != null) {
            if (o.condInput.equals("none")) {
                if (!rest.isEmpty()) {
                    throw new ImportException("--cond-input NAME", "the model has further inputs " + rest
                            + " but --cond-input none was given: a teacher takes only sample, time and condition");
                }
                decisions.add("condition: none (given by --cond-input)");
                return null;
            }
            return pick("condition input", "--cond-input", o.condInput, inputs, COND_NAMES, v -> true,
                    List.of(sample, time));
        }
        if (rest.isEmpty()) {
            decisions.add("condition: none (the model has no further input)");
            return null;
        }
        if (rest.size() > 1) {
            throw new ImportException("--cond-input NAME", "the model has " + rest.size() + " inputs besides "
                    + "the sample and time " + rest + "; a teacher takes one condition input at most");
        }
        decisions.add("condition input: '" + rest.get(0) + "' (the remaining input; override with --cond-input)");
        return rest.get(0);
    }

    String pickOutput(List<String> outputs) {
        if (o.output != null) {
            if (!outputs.contains(o.output)) {
                throw new ImportException("--output NAME", "the model has no output '" + o.output + "'; its outputs are "
                        + outputs);
            }
            decisions.add("output: '" + o.output + "' (given by --output)");
            return o.output;
        }
        for (String n : OUTPUT_NAMES) {
            for (String out : outputs) {
                if (out.equalsIgnoreCase(n)) {
                    decisions.add("output: '" + out + "' (detected by name; override with --output)");
                    return out;
                }
            }
        }
        if (outputs.size() == 1) {
            decisions.add("output: '" + outputs.get(0) + "' (the only output; override with --output)");
            return outputs.get(0);
        }
        throw new ImportException("--output NAME", "cannot tell which output is the prediction among " + outputs);
    }

    static Prediction predictionOf(String output) {
        String n = output.toLowerCase(Locale.ROOT);
        if (n.contains("x0") || n.contains("denoised") || n.contains("clean")) {
            return Prediction.X0;
        }
        if (n.equals("v") || n.startsWith("v_") || n.contains("velocity")) {
            return Prediction.V;
        }
        return Prediction.EPS;
    }

    long[] sampleShape(ValueInfoProto v) {
        if (o.sampleShape != null) {
            decisions.add("sample shape: " + Arrays.toString(o.sampleShape) + " (given by --sample-shape)");
            return o.sampleShape.clone();
        }
        TensorShapeProto s = v.getType().getTensorType().getShape();
        long[] dims = new long[s.getDimCount() - 1];
        for (int i = 1; i < s.getDimCount(); i++) {
            if (!s.getDim(i).hasDimValue() || s.getDim(i).getDimValue() < 1) {
                throw new ImportException("--sample-shape", "the sample input '" + v.getName() + "' has dynamic "
                        + "dims " + describe(v) + ": give the shape of one sample, e.g. --sample-shape 4,64,64");
            }
            dims[i - 1] = s.getDim(i).getDimValue();
        }
        decisions.add("sample shape: " + Arrays.toString(dims) + " (from the graph; override with --sample-shape)");
        return dims;
    }

    static boolean isFloat(ValueInfoProto v) {
        int t = v.getType().getTensorType().getElemType();
        return t == DataType.FLOAT_VALUE;
    }

    static boolean isInt(ValueInfoProto v) {
        int t = v.getType().getTensorType().getElemType();
        return t == DataType.INT64_VALUE || t == DataType.INT32_VALUE;
    }

    static int rank(ValueInfoProto v) {
        return v.getType().getTensorType().hasShape() ? v.getType().getTensorType().getShape().getDimCount() : -1;
    }

    static String describe(ValueInfoProto v) {
        var t = v.getType().getTensorType();
        StringBuilder sb = new StringBuilder(String.valueOf(DataType.forNumber(t.getElemType()))).append('[');
        if (t.hasShape()) {
            for (int i = 0; i < t.getShape().getDimCount(); i++) {
                var d = t.getShape().getDim(i);
                sb.append(i > 0 ? ", " : "").append(d.hasDimValue() ? Long.toString(d.getDimValue())
                        : d.getDimParam().isEmpty() ? "?" : d.getDimParam());
            }
        }
        return sb.append(']').toString();
    }

    static String describeAll(Map<String, ValueInfoProto> inputs) {
        List<String> out = new ArrayList<>();
        inputs.forEach((k, v) -> out.add(k + ": " + describe(v)));
        return out.toString();
    }
}
