package dev.sfd.core.autodiff;

import dev.sfd.core.onnx.Attrs;
import dev.sfd.core.onnx.GraphBuilder;
import java.util.List;
import java.util.Map;

/** Gradient rules of element-wise ops (binary ones broadcast; their gradients are summed back). */
final class ElementwiseGradients {

    private ElementwiseGradients() {
    }

    static void register(Map<String, GradientRule> rules) {
        // y = a + b: da = gy, db = gy
        rules.put("Add", c -> {
            c.setGrad(0, c.unbroadcast(c.gy(), 0));
            c.setGrad(1, c.unbroadcast(c.gy(), 1));
        });
        // y = a - b: da = gy, db = -gy
        rules.put("Sub", c -> {
            c.setGrad(0, c.unbroadcast(c.gy(), 0));
            if (c.needs(1)) {
                c.setGrad(1, c.unbroadcast(c.g().neg(c.gy()), 1));
            }
        });
        // y = a·b: da = gy·b, db = gy·a
        rules.put("Mul", c -> {
            if (c.needs(0)) {
                c.setGrad(0, c.unbroadcast(c.g().mul(c.gy(), c.in(1)), 0));
            }
            if (c.needs(1)) {
                c.setGrad(1, c.unbroadcast(c.g().mul(c.gy(), c.in(0)), 1));
            }
        });
        // y = a/b: da = gy/b, db = -gy·y/b
        rules.put("Div", c -> {
            GraphBuilder g = c.g();
            if (c.needs(0)) {
                c.setGrad(0, c.unbroadcast(g.div(c.gy(), c.in(1)), 0));
            }
            if (c.needs(1)) {
                c.setGrad(1, c.unbroadcast(g.neg(g.div(g.mul(c.gy(), c.out(0)), c.in(1))), 1));
            }
        });
        // y = Σ x_i: dx_i = gy
        rules.put("Sum", c -> {
            for (int i = 0; i < c.node().getInputCount(); i++) {
                if (c.needs(i)) {
                    c.setGrad(i, c.unbroadcast(c.gy(), i));
                }
            }
        });
        // y = a^p: da = gy·p·a^(p−1), dp = gy·y·ln a
        rules.put("Pow", c -> {
            GraphBuilder g = c.g();
            if (c.needs(0)) {
                String p = g.cast(c.in(1), g.floatType()); // the exponent may be an integer tensor
                String local = g.mul(p, powMinusOne(g, c.in(0), c.in(1), p));
                c.setGrad(0, c.unbroadcast(g.mul(c.gy(), local), 0));
            }
            if (c.needs(1)) {
                c.setGrad(1, c.unbroadcast(g.mul(g.mul(c.gy(), c.out(0)), g.log(c.in(0))), 1));
            }
        });
        // (see powMinusOne for the a^(p−1) shortcuts)
        // y = where(cond, a, b): da = where(cond, gy, 0), db = where(cond, 0, gy)
        rules.put("Where", c -> {
            GraphBuilder g = c.g();
            String zero = g.scalar(0);
            if (c.needs(1)) {
                c.setGrad(1, c.unbroadcast(g.where(c.in(0), c.gy(), zero), 1));
            }
            if (c.needs(2)) {
                c.setGrad(2, c.unbroadcast(g.where(c.in(0), zero, c.gy()), 2));
            }
        });

        // y = −x: dx = −gy
        unary(rules, "Neg", (g, c) -> g.neg(c.gy()));
        // y = x: dx = gy
        unary(rules, "Identity", (g, c) -> c.gy());
        // y = cast(x) between float types: dx = cast(gy) back to x's type
        unary(rules, "Cast", (g, c) -> g.castLike(c.gy(), c.in(0)));
        unary(rules, "CastLike", (g, c) -> g.castLike(c.gy(), c.in(0)));
        // y = max(x, 0): dx = gy·[x > 0]
        unary(rules, "Relu", (g, c) -> {
            String zero = g.scalar(0);
            return g.where(g.op("Greater", List.of(c.in(0), zero)), c.gy(), zero);
        });
        // y = σ(x): dx = gy·y·(1 − y)
        unary(rules, "Sigmoid", (g, c) -> g.mul(c.gy(), g.mul(c.out(0), g.sub(g.scalar(1), c.out(0)))));
        // y = tanh x: dx = gy·(1 − y²)
        unary(rules, "Tanh", (g, c) -> g.mul(c.gy(), g.sub(g.scalar(1), g.mul(c.out(0), c.out(0)))));
        // y = eˣ: dx = gy·y
        unary(rules, "Exp", (g, c) -> g.mul(c.gy(), c.out(0)));
        // y = ln x: dx = gy/x
        unary(rules, "Log", (g, c) -> g.div(c.gy(), c.in(0)));
        // y = sin x: dx = gy·cos x
        unary(rules, "Sin", (g, c) -> g.mul(c.gy(), g.cos(c.in(0))));
        // y = cos x: dx = −gy·sin x
        unary(rules, "Cos", (g, c) -> g.neg(g.mul(c.gy(), g.sin(c.in(0)))));
        // y = √x: dx = gy/(2y)
        unary(rules, "Sqrt", (g, c) -> g.div(c.gy(), g.mul(g.scalar(2), c.out(0))));
        // y = 1/x: dx = −gy·y²
        unary(rules, "Reciprocal", (g, c) -> g.neg(g.mul(c.gy(), g.mul(c.out(0), c.out(0)))));
        // y = |x|: dx = gy·sign(x)
        unary(rules, "Abs", (g, c) -> g.mul(c.gy(), g.op("Sign", List.of(c.in(0)))));
        rules.put("Gelu", ElementwiseGradients::gelu);
        // y = erf x: dx = gy·(2/√π)·exp(−x²)
        unary(rules, "Erf", (g, c) -> g.mul(c.gy(),
                g.scale(g.exp(g.neg(g.mul(c.in(0), c.in(0)))), 2 / Math.sqrt(Math.PI))));
    }

    /**
     * tanh form, u = k·(x + c·x³), k = √(2/π), c = 0.044715. Since ½(1 + tanh u) = σ(2u), the
     * forward value is y = x·s with s = σ(2u), and
     * dx = gy·(s + x·s·(1 − s)·2u') = gy·(s + y·(1 − s)·(2k + 6kc·x²))
     * (12 element-wise ops, reusing the forward output y).
     * erf form: dx = gy·(Φ(x) + x·φ(x)) = gy·(0.5·(1 + erf(x/√2)) + x·exp(−x²/2)/√(2π)).
     */
    private static void gelu(GradContext c) {
        GraphBuilder g = c.g();
        String x = c.in(0);
        String x2 = g.mul(x, x);
        String local;
        if (Attrs.getString(c.node(), "approximate", "none").equals("tanh")) {
            double k = Math.sqrt(2 / Math.PI);
            double cc = 0.044715;
            String s = g.sigmoid(g.mul(x, g.add(g.scale(x2, 2 * k * cc), g.scalar(2 * k)))); // σ(2u)
            String slope = g.add(g.scale(x2, 6 * k * cc), g.scalar(2 * k));                 // 2u'
            local = g.add(s, g.mul(g.mul(c.out(0), g.sub(g.scalar(1), s)), slope));
        } else {
            String cdf = g.add(g.scale(g.erf(g.scale(x, 1 / Math.sqrt(2))), 0.5), g.scalar(0.5));
            String pdf = g.scale(g.exp(g.scale(x2, -0.5)), 1 / Math.sqrt(2 * Math.PI));
            local = g.add(cdf, g.mul(x, pdf));
        }
        c.setGrad(0, g.mul(c.gy(), local));
    }

    /** a^(p−1), as a or a·a when p is the constant 2 or 3 (cheaper than Pow). */
    private static String powMinusOne(GraphBuilder g, String a, String exponent, String p) {
        Double constant = g.scalarConstant(exponent);
        if (constant != null && constant == 2) {
            return a;
        }
        if (constant != null && constant == 3) {
            return g.mul(a, a);
        }
        return g.op("Pow", List.of(a, g.sub(p, g.scalar(1))));
    }

    /** A rule for a one-input, one-output op whose input gradient is {@code dx}. */
    private static void unary(Map<String, GradientRule> rules, String op, UnaryGrad dx) {
        rules.put(op, c -> {
            if (c.needs(0)) {
                c.setGrad(0, dx.apply(c.g(), c));
            }
        });
    }

    @FunctionalInterface
    private interface UnaryGrad {
        String apply(GraphBuilder g, GradContext c);
    }
}
