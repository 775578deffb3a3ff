package dev.sfd.core.diffusion.onnx;

import ai.onnxruntime.OnnxTensor;
import ai.onnxruntime.OrtException;
import ai.onnxruntime.OrtSession;
import dev.sfd.core.diffusion.NoiseModel;
import dev.sfd.core.tensor.FloatTensor;
import java.util.HashMap;
import java.util.Map;

/**
 * What every ONNX-backed {@link NoiseModel} shares: it owns one session (closed with the model),
 * checks the session's signature once when opened (closing the session if the check fails), and
 * runs one call with tensors it closes afterwards, naming the model in every error.
 */
abstract class OrtNoiseModel implements NoiseModel {

    /** Reads and checks the session's inputs; may throw. */
    @FunctionalInterface
    interface SignatureCheck<S> {
        S check(OrtSession session) throws OrtException;
    }

    /** Puts the call's input tensors into the map (they are closed after the call, also on failure). */
    @FunctionalInterface
    interface Inputs {
        void put(Map<String, OnnxTensor> inputs) throws OrtException;
    }

    protected final String name;
    protected final OrtSession session;
    private final String kind;

    /** {@code kind} names the model in errors, e.g. "ONNX noise model". */
    OrtNoiseModel(String kind, String name, OrtSession session) {
        this.kind = kind;
        this.name = name;
        this.session = session;
    }

    /** Runs {@code check} on the session; on any failure the session is closed and the error says which model. */
    protected final <S> S signature(SignatureCheck<S> check) {
        try {
            return check.check(session);
        } catch (OrtException e) {
            OrtIo.close(session);
            throw new IllegalStateException("cannot read the inputs of ONNX model '" + name + "': " + e.getMessage(), e);
        } catch (RuntimeException e) {
            OrtIo.close(session);
            throw e;
        }
    }

    /** One session call for {@code x}: the inputs from {@code inputs}, the float output {@code output} shaped like x. */
    protected final FloatTensor run(FloatTensor x, String output, Inputs inputs) {
        Map<String, OnnxTensor> map = new HashMap<>();
        try {
            inputs.put(map);
            try (OrtSession.Result result = session.run(map)) {
                return OrtIo.floatOutput(name, result, output, x.shape());
            }
        } catch (OrtException e) {
            throw new IllegalStateException(kind + " '" + name + "' failed on x " + x.shapeString() + ": "
                    + e.getMessage(), e);
        } finally {
            map.values().forEach(OnnxTensor::close);
        }
    }

    @Override
    public final String name() {
        return name;
    }

    @Override
    public final void close() {
        OrtIo.close(session);
    }
}
