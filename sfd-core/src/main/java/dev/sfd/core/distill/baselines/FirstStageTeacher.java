package dev.sfd.core.distill.baselines;

import dev.sfd.core.diffusion.Condition;
import dev.sfd.core.diffusion.NoiseModel;
import dev.sfd.core.diffusion.solver.AnalyticalFirstStep;
import dev.sfd.core.distill.StudentNetwork;
import dev.sfd.core.tensor.FloatTensor;

/**
 * A first-stage student as the teacher of SFD's second stage: ε at t_max is the analytic estimate
 * of AFS (exactly as the first student samples: it never learnt ε at t_max), everywhere else its
 * network at step count N₁. Euler on Γ(N₁) with this model reproduces the first student's own
 * N₁-step sample; with the second stage's Γ(N₂) refined K = N₁/N₂ times being Γ(N₁), the teacher's
 * trajectory is the first student's. The analytic calls are counted as calls (they cost nothing).
 */
public final class FirstStageTeacher implements NoiseModel {

    private final StudentNetwork network;
    private final int steps;
    private final double tMax;
    private final boolean afs;

    /**
     * @param network the first-stage student
     * @param steps   its step count N₁ whose embedding is used
     * @param tMax    its largest noise level (where AFS replaces the network)
     * @param afs     whether it samples with AFS
     */
    public FirstStageTeacher(StudentNetwork network, int steps, double tMax, boolean afs) {
        this.network = network;
        this.steps = steps;
        this.tMax = tMax;
        this.afs = afs;
    }

    @Override
    public FloatTensor epsilon(FloatTensor x, double[] t, Condition c) {
        if (afs && t.length > 0 && t[0] >= tMax * (1 - 1e-9)) {
            for (double v : t) {
                if (v != t[0]) {
                    throw new IllegalArgumentException("first-stage teacher: a batch mixes t_max " + t[0]
                            + " with other noise levels (" + v + "); call it per noise level");
                }
            }
            return AnalyticalFirstStep.epsilon(x, t[0]);
        }
        return network.epsilon(x, t, c, steps);
    }

    @Override
    public String name() {
        return "first-stage student (N=" + steps + (afs ? ", AFS" : "") + ")";
    }

    @Override
    public void close() {
        network.close();
    }
}
