/**
 * Prompts for the shapes data set: {@link dev.sfd.core.prompt.PromptTokenizer} turns text into a
 * {@link dev.sfd.core.prompt.PromptCondition} (optional colour, optional shape; both absent = ∅),
 * which encodes to class ids or a one-hot embedding for networks and back to canonical text.
 */
package dev.sfd.core.prompt;
