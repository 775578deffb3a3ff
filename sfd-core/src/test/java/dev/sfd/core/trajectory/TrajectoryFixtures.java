package dev.sfd.core.trajectory;

import dev.sfd.core.prompt.PromptCondition;
import dev.sfd.core.prompt.PromptTokenizer;
import dev.sfd.core.tensor.FloatTensor;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;

/** Builds small, deterministic trajectories for the codec and assembler tests. */
final class TrajectoryFixtures {

    private TrajectoryFixtures() {
    }

    /** EDM-style header with N steps, prompt "a red circle". */
    static TrajectoryHeader header(String id, int steps) {
        List<Double> ts = new ArrayList<>();
        double tMin = 0.006;
        double tMax = 80;
        double rho = 7;
        for (int n = steps; n >= 0; n--) {
            double a = Math.pow(tMin, 1 / rho) + (double) n / steps * (Math.pow(tMax, 1 / rho) - Math.pow(tMin, 1 / rho));
            ts.add(Math.pow(a, rho));
        }
        PromptCondition c = PromptTokenizer.parse("a red circle");
        List<Float> emb = new ArrayList<>();
        for (float v : c.embedding()) {
            emb.add(v);
        }
        return new TrajectoryHeader(id, "edm", Map.of("t_min", tMin, "t_max", tMax, "rho", rho), steps, ts, 1234L,
                "a red circle", List.of(c.colourId(), c.shapeId()), emb, "shapes-unet@sha256:abc", "dpm-solver++(3m)", 4);
    }

    /** A deterministic point with values of scale {@code sigma}. */
    static FloatTensor point(long seed, double sigma) {
        Random r = new Random(seed);
        float[] d = new float[3 * 4 * 4];
        for (int k = 0; k < d.length; k++) {
            d[k] = (float) (r.nextGaussian() * sigma);
        }
        return new FloatTensor(new long[] {3, 4, 4}, d);
    }

    /** All N + 1 segments of a trajectory, in message order. */
    static List<TrajectorySegment> segments(String id, int steps) {
        TrajectoryHeader h = header(id, steps);
        List<TrajectorySegment> out = new ArrayList<>();
        out.add(TrajectorySegment.first(h, point(id.hashCode(), h.timestamp(steps))));
        for (int n = steps - 1; n >= 0; n--) {
            out.add(TrajectorySegment.teacherPoint(h, n, point(id.hashCode() * 31L + n, 1 + h.timestamp(n))));
        }
        return out;
    }
}
