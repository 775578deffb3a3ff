package dev.sfd.core.onnx;

import ai.onnxruntime.OrtEnvironment;
import ai.onnxruntime.OrtException;
import ai.onnxruntime.OrtSession;
import java.nio.file.Path;

/** Opens ONNX Runtime sessions with one place deciding threads and execution provider. */
public final class OrtSessions {

    private OrtSessions() {
    }

    public static OrtEnvironment environment() {
        return OrtEnvironment.getEnvironment();
    }

    /** Session options for {@code config}; CUDA that cannot load is an error, never a CPU fallback. */
    public static OrtSession.SessionOptions options(SessionConfig config) throws OrtException {
        OrtSession.SessionOptions options = new OrtSession.SessionOptions();
        try {
            options.setOptimizationLevel(OrtSession.SessionOptions.OptLevel.ALL_OPT);
            if (config.intraOpThreads() > 0) {
                options.setIntraOpNumThreads(config.intraOpThreads());
            }
            options.setInterOpNumThreads(1);
            if (config.provider() == ExecutionProvider.CUDA) {
                try {
                    options.addCUDA(config.cudaDevice());
                } catch (OrtException | RuntimeException | UnsatisfiedLinkError e) {
                    throw new IllegalStateException("CUDA execution provider requested (device "
                            + config.cudaDevice() + ") but it cannot be loaded: " + e.getMessage()
                            + ". Build with -Pcuda (onnxruntime_gpu) on a host with CUDA 12 and cuDNN 9,"
                            + " or set the provider to cpu.", e);
                }
            }
            return options;
        } catch (OrtException | RuntimeException e) {
            options.close();
            throw e;
        }
    }

    /** Opens a session over an in-memory model; {@code name} is used in error messages. */
    public static OrtSession open(String name, byte[] model, SessionConfig config) {
        try (OrtSession.SessionOptions options = options(config)) {
            return environment().createSession(model, options);
        } catch (OrtException e) {
            throw new IllegalStateException("cannot open ONNX model '" + name + "' (" + model.length
                    + " bytes) on " + config.provider() + ": " + e.getMessage(), e);
        }
    }

    /** Opens a session over a model file. */
    public static OrtSession open(Path file, SessionConfig config) {
        try (OrtSession.SessionOptions options = options(config)) {
            return environment().createSession(file.toString(), options);
        } catch (OrtException e) {
            throw new IllegalStateException("cannot open ONNX model " + file + " on " + config.provider()
                    + ": " + e.getMessage(), e);
        }
    }
}
