package dev.sfd.core.trajectory;

import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.TreeMap;

/**
 * What a student trainer must know about one teacher trajectory, carried by its first segment
 * (and, as JSON, in that record's {@code sfd.header} Kafka header).
 *
 * @param trajectoryId       the Kafka key of all of the trajectory's segments
 * @param scheduleName       time schedule family, e.g. "edm" (polynomial), "uniform", "logsnr"
 * @param scheduleParams     its parameters, e.g. {@code t_min}, {@code t_max}, {@code rho}
 * @param steps              N, the number of student steps; the trajectory has N + 1 points
 * @param timestamps         the student timestamps in message order t_N, t_{N−1}, …, t_0
 *                           (N + 1 values, strictly decreasing, finite, ≥ 0)
 * @param seed               seed of the initial noise x_N
 * @param prompt             prompt text, "" for unconditional
 * @param conditionIds       the prompt's class ids as given to the network (for the shapes data
 *                           set: [colourId, shapeId]); may be empty
 * @param conditionEmbedding the prompt's embedding as given to the network; may be empty
 * @param teacher            identifier of the teacher model (e.g. file name and hash); may be ""
 * @param solver             teacher solver between student timestamps, e.g. "dpm-solver++(3m)"
 * @param solverSubsteps     K, teacher sub-steps per student step (≥ 1)
 */
public record TrajectoryHeader(
        String trajectoryId,
        String scheduleName,
        Map<String, Double> scheduleParams,
        int steps,
        List<Double> timestamps,
        long seed,
        String prompt,
        List<Integer> conditionIds,
        List<Float> conditionEmbedding,
        String teacher,
        String solver,
        int solverSubsteps) {

    public TrajectoryHeader {
        requireText(trajectoryId, "trajectoryId");
        Objects.requireNonNull(scheduleName, "scheduleName");
        scheduleParams = java.util.Collections.unmodifiableMap(new TreeMap<>(
                Objects.requireNonNull(scheduleParams, "scheduleParams")));
        timestamps = List.copyOf(Objects.requireNonNull(timestamps, "timestamps"));
        Objects.requireNonNull(prompt, "prompt");
        conditionIds = List.copyOf(Objects.requireNonNull(conditionIds, "conditionIds"));
        conditionEmbedding = List.copyOf(Objects.requireNonNull(conditionEmbedding, "conditionEmbedding"));
        Objects.requireNonNull(teacher, "teacher");
        Objects.requireNonNull(solver, "solver");
        String where = "trajectory " + trajectoryId + ": ";
        if (steps < 1) {
            throw new IllegalArgumentException(where + "step count N must be >= 1, got " + steps);
        }
        if (timestamps.size() != steps + 1) {
            throw new IllegalArgumentException(where + "N = " + steps + " needs " + (steps + 1)
                    + " timestamps t_N..t_0, got " + timestamps.size());
        }
        for (int i = 0; i < timestamps.size(); i++) {
            double t = timestamps.get(i);
            if (!Double.isFinite(t) || t < 0) {
                throw new IllegalArgumentException(where + "timestamp " + i + " is " + t + "; must be finite and >= 0");
            }
            if (i > 0 && !(t < timestamps.get(i - 1))) {
                throw new IllegalArgumentException(where + "timestamps must decrease strictly from t_N to t_0, got "
                        + timestamps);
            }
        }
        for (Float v : conditionEmbedding) {
            if (!Float.isFinite(v)) {
                throw new IllegalArgumentException(where + "condition embedding has a non-finite value " + v);
            }
        }
        if (solverSubsteps < 1) {
            throw new IllegalArgumentException(where + "solver sub-steps K must be >= 1, got " + solverSubsteps);
        }
    }

    /** t_n, the timestamp of student step n (n = N … 0); t_N is the first in message order. */
    public double timestamp(int n) {
        if (n < 0 || n > steps) {
            throw new IndexOutOfBoundsException("step n = " + n + " outside 0.." + steps);
        }
        return timestamps.get(steps - n);
    }

    /** Number of segments of this trajectory: N + 1 (x_N, then x̃_{N−1} … x̃_0). */
    public int totalSegments() {
        return steps + 1;
    }

    /** The timestamps t_N … t_0 as an array. */
    public double[] timestampArray() {
        return timestamps.stream().mapToDouble(Double::doubleValue).toArray();
    }

    /** The condition embedding as an array. */
    public float[] conditionEmbeddingArray() {
        float[] e = new float[conditionEmbedding.size()];
        for (int i = 0; i < e.length; i++) {
            e[i] = conditionEmbedding.get(i);
        }
        return e;
    }

    private static void requireText(String s, String what) {
        if (s == null || s.isBlank()) {
            throw new IllegalArgumentException(what + " must be non-blank, got " + (s == null ? "null" : "\"" + s + "\""));
        }
    }
}
