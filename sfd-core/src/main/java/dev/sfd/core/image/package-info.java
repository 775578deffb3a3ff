/**
 * Image output: tensors in [−1, 1] to PNG ({@link dev.sfd.core.image.PngImages}) and labelled,
 * scaled-up grids such as "teacher vs student" ({@link dev.sfd.core.image.ImageGrid}).
 */
package dev.sfd.core.image;
