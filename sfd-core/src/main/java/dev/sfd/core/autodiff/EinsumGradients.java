package dev.sfd.core.autodiff;

import dev.sfd.core.onnx.Attrs;
import dev.sfd.core.onnx.GraphBuilder;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;

/**
 * Gradient rule of Einsum with one or two operands and plain letter subscripts (the forms attention
 * exports use: "bij,bjk->bik", "bhid,bhjd->bhij", "bhij,bhjd->bhid", "bid,bjd->bij"). The gradient of
 * an operand is an Einsum of the output gradient with the other operand, subscripts permuted:
 * for y = einsum("A,B->C", a, b), da = einsum("C,B->A", gy, b) and db = einsum("C,A->B", gy, a).
 * Letters of A found in neither B nor C (summed out of a alone) are dropped from that Einsum and
 * restored by Unsqueeze + Expand to a's shape.
 */
final class EinsumGradients {

    private EinsumGradients() {
    }

    static void register(Map<String, GradientRule> rules) {
        rules.put("Einsum", EinsumGradients::einsum);
    }

    private static void einsum(GradContext c) {
        String equation = Attrs.getString(c.node(), "equation", "");
        String[] terms = parse(equation, c.node().getInputCount(), c::unsupported);
        int n = terms.length - 1;
        String out = terms[n];
        GraphBuilder g = c.g();
        for (int i = 0; i < n; i++) {
            if (!c.needs(i)) {
                continue;
            }
            String mine = terms[i];
            String other = n == 2 ? terms[1 - i] : "";
            StringBuilder kept = new StringBuilder();
            List<Long> dropped = new ArrayList<>();
            for (int k = 0; k < mine.length(); k++) {
                char letter = mine.charAt(k);
                if (out.indexOf(letter) >= 0 || other.indexOf(letter) >= 0) {
                    kept.append(letter);
                } else {
                    dropped.add((long) k);
                }
            }
            String grad;
            if (n == 1 && out.equals(kept.toString())) {
                grad = c.gy();
            } else {
                List<String> operands = n == 2 ? List.of(c.gy(), c.in(1 - i)) : List.of(c.gy());
                String eq = n == 2 ? out + "," + other + "->" + kept : out + "->" + kept;
                grad = g.op("Einsum", operands, Attrs.s("equation", eq));
            }
            if (!dropped.isEmpty()) {
                grad = g.expand(g.unsqueeze(grad, dropped.stream().mapToLong(Long::longValue).toArray()),
                        g.shape(c.in(i)));
            }
            c.setGrad(i, grad);
        }
    }

    /** Operand subscripts then the output's (the implicit output made explicit), or an error naming what is unsupported. */
    static String[] parse(String equation, int inputs, java.util.function.Function<String, UnsupportedOpException> error) {
        String eq = equation.replace(" ", "");
        if (eq.contains(".")) {
            throw error.apply("equation '" + equation + "' uses an ellipsis (...), which has no gradient rule yet;"
                    + " export with explicit subscripts (e.g. torch.einsum('bij,bjk->bik', ...) or torch.matmul)");
        }
        String[] sides = eq.split("->", -1);
        String[] operands = sides[0].split(",", -1);
        if (operands.length > 2 || operands.length != inputs) {
            throw error.apply("equation '" + equation + "' has " + operands.length + " operand(s) for " + inputs
                    + " input(s); only one- and two-operand Einsum can be differentiated (split it into pairs)");
        }
        String output;
        if (sides.length == 2) {
            output = sides[1];
        } else {
            TreeSet<Character> once = new TreeSet<>();
            String all = String.join("", operands);
            for (char ch : all.toCharArray()) {
                if (all.indexOf(ch) == all.lastIndexOf(ch)) {
                    once.add(ch);
                }
            }
            StringBuilder b = new StringBuilder();
            once.forEach(b::append);
            output = b.toString();
        }
        String[] terms = new String[operands.length + 1];
        for (int i = 0; i <= operands.length; i++) {
            String t = i < operands.length ? operands[i] : output;
            for (int k = 0; k < t.length(); k++) {
                char ch = t.charAt(k);
                if (!Character.isLetter(ch)) {
                    throw error.apply("equation '" + equation + "' has subscript '" + ch + "'; only letters are supported");
                }
                if (t.indexOf(ch) != k) {
                    throw error.apply("equation '" + equation + "' repeats index '" + ch + "' within '" + t
                            + "' (a diagonal or trace); only distinct indices per term can be differentiated");
                }
            }
            terms[i] = t;
        }
        return terms;
    }
}
