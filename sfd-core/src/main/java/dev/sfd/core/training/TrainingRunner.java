package dev.sfd.core.training;

import ai.onnx.proto.OnnxMl.TensorProto;
import ai.onnxruntime.OnnxTensor;
import ai.onnxruntime.OrtException;
import ai.onnxruntime.OrtSession;
import dev.sfd.core.onnx.OnnxModel;
import dev.sfd.core.onnx.OrtSessions;
import dev.sfd.core.onnx.OrtTensors;
import dev.sfd.core.onnx.SessionConfig;
import dev.sfd.core.onnx.Tensors;
import dev.sfd.core.tensor.FloatTensor;
import java.nio.FloatBuffer;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collection;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Trains a model on ONNX Runtime, one {@link #step} at a time: each step runs the gradient
 * {@link TrainingGraph} (forward + loss + backward) in one session, then a {@link FusedAdam}
 * update in place. No parameter or gradient is copied per step: the parameter tensors wrap
 * direct buffers that Adam updates in place, and the gradients are written by ONNX Runtime into
 * caller-owned (pinned) output tensors over direct buffers.
 * Not thread-safe.
 */
public final class TrainingRunner implements AutoCloseable {

    private final OnnxModel inference;
    private final TrainingGraph graph;
    private final AdamConfig adam;
    private final LearningRateSchedule schedule;
    private final OrtSession session;
    /** Parameter tensors (over direct buffers updated in place by Adam). */
    private final Map<String, OnnxTensor> state = new LinkedHashMap<>();
    /** Gradient output name → pinned tensor ONNX Runtime writes the gradient into. */
    private final Map<String, OnnxTensor> gradients = new LinkedHashMap<>();
    private final Set<String> requestedOutputs = new LinkedHashSet<>();
    private final FusedAdam optimizer;
    /** Parameter name → its Adam slot (parameter, gradient and moment buffers). */
    private final Map<String, FusedAdam.Slot> slots = new LinkedHashMap<>();
    private long step;
    private double lastLearningRate = Double.NaN;

    private TrainingRunner(OnnxModel inference, TrainingGraph graph, AdamConfig adam, LearningRateSchedule schedule,
            SessionConfig sessionConfig) {
        this.inference = inference;
        this.graph = graph;
        this.adam = adam;
        this.schedule = schedule;
        // no spinning: the step alternates ONNX Runtime and the Java-side Adam, on shared cores
        this.session = OrtSessions.open(inference.name() + " (training step)", graph.model().toByteArray(), sessionConfig,
                OrtSessions.NO_SPINNING);
        Map<String, TensorProto> values = inference.parameters();
        List<FusedAdam.Slot> slots = new ArrayList<>();
        for (var e : graph.parameters().entrySet()) {
            float[] p = Tensors.toFloats(values.get(e.getKey()));
            FloatBuffer param = OrtTensors.directFloats(p.length).put(p).rewind();
            FloatBuffer grad = OrtTensors.directFloats(p.length);
            state.put(e.getKey(), OrtTensors.wrap(param, e.getValue()));
            gradients.put(graph.gradientOutputs().get(e.getKey()), OrtTensors.wrap(grad, e.getValue()));
            FusedAdam.Slot slot = new FusedAdam.Slot(param, grad, new float[p.length], new float[p.length]);
            slots.add(slot);
            this.slots.put(e.getKey(), slot);
        }
        requestedOutputs.add(TrainingGraph.LOSS);
        requestedOutputs.addAll(graph.extraOutputs().values());
        this.optimizer = new FusedAdam(adam, slots, sessionConfig.intraOpThreads() > 0 ? sessionConfig.intraOpThreads()
                : Runtime.getRuntime().availableProcessors());
    }

    /**
     * Creates a runner for {@code inference} whose output {@code prediction} feeds {@code loss}.
     *
     * @param trainable    parameters to train (null = all floating-point initializers)
     * @param extraOutputs forward values to return from each step (e.g. the prediction)
     */
    public static TrainingRunner create(OnnxModel inference, String prediction, Loss loss, Collection<String> trainable,
            AdamConfig adam, LearningRateSchedule schedule, SessionConfig session, List<String> extraOutputs) {
        TrainingGraph graph = TrainingGraph.gradients(inference, prediction, loss, trainable, extraOutputs);
        return new TrainingRunner(inference, graph, adam, schedule, session);
    }

    /** Starts configuring a runner for {@code inference}, whose output {@code prediction} feeds the loss. */
    public static Builder builder(OnnxModel inference, String prediction) {
        return new Builder(inference, prediction);
    }

    /** Fluent configuration; defaults: all parameters, Adam defaults, lr 1e-4 constant, CPU, no extra outputs. */
    public static final class Builder {
        private final OnnxModel inference;
        private final String prediction;
        private Loss loss;
        private Collection<String> trainable;
        private AdamConfig adam = AdamConfig.defaults();
        private LearningRateSchedule schedule = LearningRateSchedule.constant(1e-4);
        private SessionConfig session = SessionConfig.cpu();
        private List<String> outputs = List.of();

        private Builder(OnnxModel inference, String prediction) {
            this.inference = inference;
            this.prediction = prediction;
        }

        public Builder loss(Loss loss) {
            this.loss = loss;
            return this;
        }

        public Builder trainable(Collection<String> parameters) {
            this.trainable = parameters;
            return this;
        }

        public Builder adam(AdamConfig adam) {
            this.adam = adam;
            return this;
        }

        public Builder schedule(LearningRateSchedule schedule) {
            this.schedule = schedule;
            return this;
        }

        public Builder session(SessionConfig session) {
            this.session = session;
            return this;
        }

        /** Forward values to return from each step, e.g. the prediction. */
        public Builder outputs(String... values) {
            this.outputs = List.of(values);
            return this;
        }

        public TrainingRunner build() {
            if (loss == null) {
                throw new IllegalStateException("no loss configured for '" + inference.name() + "'");
            }
            return create(inference, prediction, loss, trainable, adam, schedule, session, outputs);
        }
    }

    /**
     * Runs one optimiser step on a batch. Values are {@link FloatTensor} (float32), {@code long[]}
     * (a 1-D int64 tensor, e.g. class labels) or {@link OnnxTensor} (used as is, owned by the caller).
     */
    public StepResult step(Map<String, ?> batch) {
        List<OnnxTensor> created = new ArrayList<>();
        Map<String, OnnxTensor> feed = new HashMap<>(state);
        try {
            for (String name : graph.batchInputs()) {
                Object v = batch.get(name);
                if (v == null) {
                    throw new IllegalArgumentException("batch lacks input '" + name + "' (expected "
                            + graph.batchInputs() + ", got " + batch.keySet() + ")");
                }
                feed.put(name, toTensor(name, v, created));
            }
            long next = step + 1;
            double lr = schedule.at(next);
            float loss;
            Map<String, FloatTensor> outputs = new LinkedHashMap<>();
            try (OrtSession.Result result = session.run(feed, requestedOutputs, gradients)) {
                loss = ((OnnxTensor) result.get(TrainingGraph.LOSS).orElseThrow()).getFloatBuffer().get(0);
                graph.extraOutputs().forEach((value, output) ->
                        outputs.put(value, OrtTensors.toFloatTensor((OnnxTensor) result.get(output).orElseThrow())));
            } catch (OrtException e) {
                throw new IllegalStateException("training step " + next + " of '" + inference.name()
                        + "' failed for batch " + describe(batch) + ": " + e.getMessage(), e);
            }
            optimizer.step(next, lr);
            step = next;
            lastLearningRate = lr;
            return new StepResult(next, loss, outputs);
        } finally {
            created.forEach(OnnxTensor::close);
        }
    }

    /** A copy of Adam's state (step, last learning rate, moments), for an exact resume with {@link #restore}. */
    public AdamState adamState() {
        Map<String, float[]> m = new LinkedHashMap<>();
        Map<String, float[]> v = new LinkedHashMap<>();
        slots.forEach((name, slot) -> {
            m.put(name, slot.m().clone());
            v.put(name, slot.v().clone());
        });
        return new AdamState(step, lastLearningRate, m, v);
    }

    /**
     * Puts the runner back into a saved state: the parameter values (e.g. read from an exported
     * checkpoint) and Adam's step and moments. The next {@link #step} then computes exactly what it
     * would have computed in the run that saved the state.
     *
     * @throws IllegalArgumentException naming the parameter when a name or size does not match
     */
    public void restore(Map<String, float[]> parameters, AdamState adam) {
        for (var e : slots.entrySet()) {
            String name = e.getKey();
            FusedAdam.Slot slot = e.getValue();
            float[] p = parameters.get(name);
            float[] m = adam.m().get(name);
            float[] v = adam.v().get(name);
            if (p == null || m == null || v == null) {
                throw new IllegalArgumentException("cannot restore '" + inference.name() + "': the saved state lacks "
                        + (p == null ? "the value" : "the Adam moments") + " of parameter '" + name
                        + "'; was it saved from a different student graph?");
            }
            if (p.length != slot.m().length || m.length != slot.m().length) {
                throw new IllegalArgumentException("cannot restore parameter '" + name + "' of '" + inference.name()
                        + "': it has " + slot.m().length + " elements, the saved state " + p.length + " (moments "
                        + m.length + ")");
            }
        }
        for (var e : slots.entrySet()) {
            FusedAdam.Slot slot = e.getValue();
            slot.param().put(0, parameters.get(e.getKey()));
            System.arraycopy(adam.m().get(e.getKey()), 0, slot.m(), 0, slot.m().length);
            System.arraycopy(adam.v().get(e.getKey()), 0, slot.v(), 0, slot.v().length);
        }
        step = adam.step();
        lastLearningRate = adam.lastLearningRate();
    }

    /** Number of steps taken. */
    public long stepCount() {
        return step;
    }

    public TrainingGraph graph() {
        return graph;
    }

    /** A copy of the current value of every trainable parameter. */
    public Map<String, FloatTensor> parameters() {
        Map<String, FloatTensor> out = new LinkedHashMap<>();
        graph.parameters().keySet().forEach(p -> out.put(p, OrtTensors.toFloatTensor(state.get(p))));
        return out;
    }

    /**
     * Read-only views of the live parameter buffers (updated in place by every {@link #step}), by
     * name, for cheap bookkeeping such as an exponential moving average. Do not keep them past {@link #close}.
     */
    public Map<String, FloatBuffer> parameterViews() {
        Map<String, FloatBuffer> out = new LinkedHashMap<>();
        slots.forEach((name, slot) -> out.put(name, slot.param().asReadOnlyBuffer().rewind()));
        return out;
    }

    /** The inference model with the current parameters and provenance metadata (plus {@code metadata}). */
    public OnnxModel exportInference(Map<String, String> metadata) {
        return exportInference(metadata, Map.of());
    }

    /**
     * Like {@link #exportInference(Map)}, with {@code overrides} (e.g. EMA weights) in place of the
     * current values of the parameters they name.
     */
    public OnnxModel exportInference(Map<String, String> metadata, Map<String, float[]> overrides) {
        Map<String, float[]> values = new LinkedHashMap<>();
        parameters().forEach((k, v) -> values.put(k, overrides.getOrDefault(k, v.data())));
        Map<String, String> meta = new LinkedHashMap<>();
        meta.put("sfd.producer", "sfd-core TrainingRunner");
        meta.put("sfd.training.steps", Long.toString(step));
        meta.put("sfd.training.optimizer", "Adam(beta1=" + adam.beta1() + ", beta2=" + adam.beta2() + ", eps="
                + adam.epsilon() + ", weight_decay=0, non-finite gradients zeroed)");
        meta.put("sfd.training.last_lr", Double.toString(lastLearningRate));
        meta.put("sfd.training.trainable", Integer.toString(values.size()));
        meta.put("sfd.exported_at", Instant.now().toString());
        meta.putAll(metadata);
        return inference.withParameterValues(values).withMetadata(meta);
    }

    @Override
    public void close() {
        optimizer.close();
        state.values().forEach(OnnxTensor::close);
        gradients.values().forEach(OnnxTensor::close);
        state.clear();
        gradients.clear();
        try {
            session.close();
        } catch (OrtException e) {
            throw new IllegalStateException("cannot close training session of '" + inference.name() + "'", e);
        }
    }

    private static OnnxTensor toTensor(String name, Object v, List<OnnxTensor> created) {
        if (v instanceof OnnxTensor t) {
            return t;
        }
        if (v instanceof FloatTensor f) {
            return track(OrtTensors.of(f), created);
        }
        if (v instanceof long[] l) {
            return track(OrtTensors.longs(l, l.length), created);
        }
        throw new IllegalArgumentException("batch input '" + name + "' has unsupported type " + v.getClass().getName());
    }

    private static OnnxTensor track(OnnxTensor t, List<OnnxTensor> created) {
        created.add(t);
        return t;
    }

    private static String describe(Map<String, ?> batch) {
        StringBuilder sb = new StringBuilder("{");
        batch.forEach((k, v) -> sb.append(k).append('=').append(
                v instanceof FloatTensor f ? f.shapeString()
                        : v instanceof long[] l ? "int64[" + l.length + "]"
                        : v instanceof OnnxTensor t ? Arrays.toString(t.getInfo().getShape()) : v).append(' '));
        return sb.append('}').toString();
    }
}
