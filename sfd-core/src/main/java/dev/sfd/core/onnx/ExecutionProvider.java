package dev.sfd.core.onnx;

import java.util.Locale;

/** Where ONNX Runtime runs a session. CUDA is never silently replaced by the CPU. */
public enum ExecutionProvider {
    CPU,
    CUDA;

    /** Parses "cpu" / "cuda" (case-insensitive) with a clear error for anything else. */
    public static ExecutionProvider parse(String name) {
        try {
            return valueOf(name.trim().toUpperCase(Locale.ROOT));
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("unknown execution provider '" + name + "': use cpu or cuda", e);
        }
    }
}
