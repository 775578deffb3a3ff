/**
 * Built-in data: the procedurally rendered "shapes" image data set ({@link dev.sfd.core.data.ShapesDataset},
 * 16×16 RGB, [B, 3, 16, 16] in [−1, 1]) and its attributes ({@link dev.sfd.core.data.Shape},
 * {@link dev.sfd.core.data.Colour}).
 */
package dev.sfd.core.data;
