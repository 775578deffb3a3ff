package dev.sfd.core.onnx;

import ai.onnxruntime.OrtEnvironment;
import ai.onnxruntime.OrtException;
import ai.onnxruntime.OrtSession;
import java.nio.file.Path;
import java.util.Map;

/** Opens ONNX Runtime sessions with one place deciding threads and execution provider. */
public final class OrtSessions {

    /**
     * Intra-op worker threads sleep instead of spinning between parallel sections. On a machine
     * whose cores are shared with other busy processes, spinning workers burn the time slices
     * the working threads need: the benchmark's training step ran ~1.8× faster without spinning
     * with the machine loaded.
     */
    public static final Map<String, String> NO_SPINNING = Map.of("session.intra_op.allow_spinning", "0");

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
        return open(name, model, config, Map.of());
    }

    /**
     * As {@link #open(String, byte[], SessionConfig)} with extra session config entries (keys of
     * onnxruntime_session_options_config_keys.h, e.g. {@link #NO_SPINNING}).
     */
    public static OrtSession open(String name, byte[] model, SessionConfig config, Map<String, String> entries) {
        try (OrtSession.SessionOptions options = options(config)) {
            for (var e : entries.entrySet()) {
                options.addConfigEntry(e.getKey(), e.getValue());
            }
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
