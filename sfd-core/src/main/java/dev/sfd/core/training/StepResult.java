package dev.sfd.core.training;

import dev.sfd.core.tensor.FloatTensor;
import java.util.Map;

/**
 * What one training step returns.
 *
 * @param step    the 1-based step number just taken
 * @param loss    the loss before the update
 * @param outputs requested forward values (computed with the parameters before the update)
 */
public record StepResult(long step, float loss, Map<String, FloatTensor> outputs) {
}
