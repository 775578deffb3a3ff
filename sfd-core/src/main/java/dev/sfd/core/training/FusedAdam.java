package dev.sfd.core.training;

import java.nio.FloatBuffer;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

/**
 * Adam applied on the Java side, in place, in one fused pass per parameter: the same update as
 * {@link AdamGraph} (same folded scalars, float32 arithmetic, non-finite guard), but one read of
 * g, p, m, v and one write of p, m, v per element instead of ~15 separate ONNX Runtime kernels
 * per parameter (each a full pass over memory, plus a kernel launch). Per element:
 * <pre>
 *   g  ← 0 where g is NaN or ±∞
 *   m' = β1·m + (1−β1)·g
 *   v' = β2·v + (1−β2)·g²
 *   p' = p − [lr·√(1−β2ᵗ)/(1−β1ᵗ)] · m' / (√v' + ε·√(1−β2ᵗ))
 * </pre>
 * Parameters are split across {@code threads} worker threads (ONNX Runtime's own pool is idle
 * while this runs). Not thread-safe.
 */
final class FusedAdam implements AutoCloseable {

    /** One parameter's buffers: p and g are direct (shared with ONNX Runtime tensors), m and v on the heap. */
    record Slot(FloatBuffer param, FloatBuffer grad, float[] m, float[] v) {
    }

    private final float beta1;
    private final float beta2;
    private final double epsilon;
    private final double b1;
    private final double b2;
    private final List<List<Slot>> shards;
    private final ExecutorService pool;

    FusedAdam(AdamConfig config, List<Slot> slots, int threads) {
        this.beta1 = (float) config.beta1();
        this.beta2 = (float) config.beta2();
        this.epsilon = config.epsilon();
        this.b1 = config.beta1();
        this.b2 = config.beta2();
        this.shards = balance(slots, Math.max(1, threads));
        this.pool = shards.size() > 1 ? Executors.newFixedThreadPool(shards.size() - 1, r -> {
            Thread t = new Thread(r, "sfd-adam");
            t.setDaemon(true);
            return t;
        }) : null;
    }

    /** Applies step {@code t} (1-based) with learning rate {@code lr} to every slot. */
    void step(long t, double lr) {
        double bc2 = Math.sqrt(1 - Math.pow(b2, t));
        float stepSize = (float) (lr * bc2 / (1 - Math.pow(b1, t)));
        float eps = (float) (epsilon * bc2);
        List<Future<?>> pending = new ArrayList<>();
        for (int s = 1; s < shards.size(); s++) {
            List<Slot> shard = shards.get(s);
            pending.add(pool.submit(() -> shard.forEach(slot -> update(slot, stepSize, eps))));
        }
        shards.get(0).forEach(slot -> update(slot, stepSize, eps));
        for (Future<?> f : pending) {
            try {
                f.get();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException("interrupted during the Adam update", e);
            } catch (ExecutionException e) {
                throw new IllegalStateException("Adam update failed", e.getCause());
            }
        }
    }

    private void update(Slot s, float stepSize, float eps) {
        FloatBuffer p = s.param();
        FloatBuffer g = s.grad();
        float[] m = s.m();
        float[] v = s.v();
        float c1 = (float) (1 - b1); // 1−β in double first: 1 − 0.999f is off by 5e-5 relative
        float c2 = (float) (1 - b2);
        for (int i = 0; i < m.length; i++) {
            float gi = g.get(i);
            if (gi - gi != 0f) { // NaN or ±∞
                gi = 0f;
            }
            float mi = beta1 * m[i] + c1 * gi;
            float vi = beta2 * v[i] + c2 * (gi * gi);
            m[i] = mi;
            v[i] = vi;
            p.put(i, p.get(i) - stepSize * (mi / ((float) Math.sqrt(vi) + eps)));
        }
    }

    /** Greedy split of the slots into {@code n} shards of about equal element count. */
    private static List<List<Slot>> balance(List<Slot> slots, int n) {
        List<Slot> bySize = new ArrayList<>(slots);
        bySize.sort((a, b) -> Integer.compare(b.m().length, a.m().length));
        List<List<Slot>> shards = new ArrayList<>();
        long[] load = new long[n];
        for (int i = 0; i < n; i++) {
            shards.add(new ArrayList<>());
        }
        for (Slot s : bySize) {
            int least = 0;
            for (int i = 1; i < n; i++) {
                if (load[i] < load[least]) {
                    least = i;
                }
            }
            shards.get(least).add(s);
            load[least] += s.m().length;
        }
        shards.removeIf(List::isEmpty);
        if (shards.isEmpty()) {
            shards.add(new ArrayList<>());
        }
        return shards;
    }

    @Override
    public void close() {
        if (pool != null) {
            pool.shutdownNow();
        }
    }
}
