package dev.sfd.core.onnx;

import ai.onnx.proto.OnnxMl.ModelProto;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;

/** Runs ONNX's own checker (with strict shape inference) on a model, via the bytedeco build of ONNX. */
public final class OnnxCheck {

    private OnnxCheck() {
    }

    /** Throws (with ONNX's message) when the model is invalid. */
    public static void check(ModelProto model) {
        try {
            Path file = Files.createTempFile("sfd-check-", ".onnx");
            try {
                Files.write(file, model.toByteArray());
                org.bytedeco.onnx.global.onnx.check_model(file.toString(), true, false, false);
            } finally {
                Files.deleteIfExists(file);
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (RuntimeException e) {
            throw new AssertionError("ONNX checker rejected model '" + model.getGraph().getName() + "': "
                    + e.getMessage(), e);
        }
    }
}
