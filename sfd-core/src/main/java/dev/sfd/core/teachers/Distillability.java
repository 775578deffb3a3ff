package dev.sfd.core.teachers;

import dev.sfd.core.autodiff.GradientRules;
import dev.sfd.core.autodiff.ReverseMode;
import dev.sfd.core.onnx.GraphBuilder;
import dev.sfd.core.onnx.OnnxModel;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Whether a teacher can be distilled: SFD trains a copy of the teacher, so every op between its
 * weights and its output needs a reverse-mode rule. Lists all missing ones at once, then (when
 * none is missing by type) builds the gradient graph once to catch unsupported attributes.
 */
public final class Distillability {

    private Distillability() {
    }

    /** The missing op types with node counts (empty = every op on the path has a rule). */
    public static Map<String, Integer> unsupportedOps(OnnxModel model) {
        String output = model.outputNames().contains(TeacherMetadata.EPS) ? TeacherMetadata.EPS : model.outputNames().get(0);
        return ReverseMode.unsupportedOps(model.proto(), output, trainable(model));
    }

    /** Null when distillable, else why not (every missing op, or the first attribute-level problem). */
    public static String problem(OnnxModel model) {
        Map<String, Integer> missing = unsupportedOps(model);
        if (!missing.isEmpty()) {
            return "the differentiation has no rule for " + missing.size() + " op type(s) of this graph: " + missing
                    + " (op=nodes); supported: " + GradientRules.supportedOps();
        }
        if (!model.metadata().containsKey(TeacherMetadata.KIND)) {
            return null; // a raw export: op types are all that can be judged before the import measures ranks
        }
        String output = model.outputNames().contains(TeacherMetadata.EPS) ? TeacherMetadata.EPS : model.outputNames().get(0);
        try {
            GraphBuilder g = GraphBuilder.edit(model.withParametersAsInputs(trainable(model)).proto());
            String loss = g.reduceSum(output, false);
            g.output(loss);
            ReverseMode.differentiate(g.build(), loss, trainable(model));
            return null;
        } catch (RuntimeException e) {
            return e.getMessage();
        }
    }

    /** "distillable: yes" or "distillable: no — …", one line. */
    public static String describe(OnnxModel model) {
        String p = problem(model);
        if (p != null) {
            return "distillable: no: " + p + "\n";
        }
        return model.metadata().containsKey(TeacherMetadata.KIND)
                ? "distillable: yes (every op between the weights and the output has a gradient rule)\n"
                : "distillable: yes, once imported (every op type between the weights and the output has a gradient "
                        + "rule; 'sfd teacher import' measures the value ranks the rules need)\n";
    }

    static List<String> trainable(OnnxModel model) {
        String frozen = model.metadata().getOrDefault(TeacherMetadata.FROZEN, "");
        Set<String> skip = frozen.isBlank() ? Set.of() : Set.of(frozen.split(","));
        return model.parameters().keySet().stream().filter(p -> !skip.contains(p)).toList();
    }
}
