/**
 * SFD distillation (SFD.md, Algorithm 2): a student built from a teacher ONNX graph with an extra
 * step-count condition ({@link dev.sfd.core.distill.StudentFromTeacher}), the in-process training
 * loop ({@link dev.sfd.core.distill.SfdDistiller}), the self-describing student checkpoint
 * ({@link dev.sfd.core.distill.StudentMetadata}, {@link dev.sfd.core.distill.StudentCheckpoint}),
 * the few-step sampler ({@link dev.sfd.core.distill.StudentSampler}) and the quality report.
 *
 * <p><b>Steps versus NFE.</b> Everywhere in this package "steps" N is the number of intervals of
 * the student's time grid Γ(N) (N + 1 timestamps, t_N = t_max … t_0 = t_min). The number of
 * network evaluations is NFE = N − 1 with the analytical first step (AFS) and N without it, so a
 * student "at NFE k" samples with N = k + 1 steps when AFS is on (the reference recipe).
 */
package dev.sfd.core.distill;
