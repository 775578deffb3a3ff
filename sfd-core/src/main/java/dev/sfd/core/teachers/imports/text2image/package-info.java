/**
 * Import of text-to-image latent diffusion pipelines in the diffusers / optimum ONNX folder layout
 * ({@code model_index.json}, {@code scheduler/}, {@code tokenizer/}, {@code text_encoder/},
 * {@code unet/}, {@code vae_decoder/}, {@code vae_encoder/}).
 */
package dev.sfd.core.teachers.imports.text2image;
