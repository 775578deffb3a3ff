package dev.sfd.core.training;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Everything Adam needs to continue exactly where it stopped: the number of steps taken (bias
 * correction), the learning rate of the last step, and the first and second moments m and v of
 * every trainable parameter (copies, keyed by parameter name).
 */
public record AdamState(long step, double lastLearningRate, Map<String, float[]> m, Map<String, float[]> v) {

    public AdamState {
        if (step < 0) {
            throw new IllegalArgumentException("Adam step must be >= 0, got " + step);
        }
        m = new LinkedHashMap<>(m);
        v = new LinkedHashMap<>(v);
        if (!m.keySet().equals(v.keySet())) {
            throw new IllegalArgumentException("Adam moments m and v name different parameters: " + m.keySet()
                    + " vs " + v.keySet());
        }
        for (String p : m.keySet()) {
            if (m.get(p).length != v.get(p).length) {
                throw new IllegalArgumentException("Adam moments of '" + p + "' have " + m.get(p).length + " and "
                        + v.get(p).length + " elements");
            }
        }
    }
}
