package dev.sfd.core.diffusion.solver;

import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.function.Supplier;

/**
 * Solvers by name: "euler", "heun", "ddim", "dpm++2m", "dpm++3m", "ipndm"; an "afs+" prefix wraps
 * any of them in the {@link AnalyticalFirstStep} (e.g. "afs+euler"). Unknown names fail with the
 * list of known ones.
 */
public final class Solvers {

    private static final Map<String, Supplier<Solver>> KNOWN = new LinkedHashMap<>();

    static {
        KNOWN.put("euler", Euler::new);
        KNOWN.put("heun", Heun::new);
        KNOWN.put("ddim", Ddim::new);
        KNOWN.put("dpm++2m", DpmSolverPlusPlus2M::new);
        KNOWN.put("dpm++3m", DpmSolverPlusPlus3M::new);
        KNOWN.put("ipndm", Ipndm::new);
    }

    private Solvers() {
    }

    /** The solver called {@code name} (case-insensitive; "dpmpp3m" is accepted for "dpm++3m"). */
    public static Solver byName(String name) {
        if (name == null) {
            throw new IllegalArgumentException("solver name is null; known solvers: " + KNOWN.keySet());
        }
        String n = name.trim().toLowerCase(Locale.ROOT).replace("dpmpp", "dpm++");
        if (n.startsWith("afs+")) {
            return new AnalyticalFirstStep(byName(n.substring(4)));
        }
        Supplier<Solver> s = KNOWN.get(n);
        if (s == null) {
            throw new IllegalArgumentException("unknown solver '" + name + "'; known solvers: " + KNOWN.keySet()
                    + " (optionally prefixed by afs+)");
        }
        return s.get();
    }

    /** The registered names, in a stable order. */
    public static java.util.List<String> names() {
        return java.util.List.copyOf(KNOWN.keySet());
    }
}
