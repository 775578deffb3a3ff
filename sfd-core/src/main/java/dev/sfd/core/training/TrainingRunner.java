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
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collection;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Trains a model on ONNX Runtime, one {@link #step} at a time: each step runs the
 * {@link TrainingGraph} (forward + loss + backward + Adam) in one session. The parameters and
 * Adam moments never leave ONNX Runtime between steps: each step's output tensors are the next
 * step's inputs, and the previous step's result is closed only after the next run.
 * Not thread-safe.
 */
public final class TrainingRunner implements AutoCloseable {

    private final OnnxModel inference;
    private final TrainingGraph graph;
    private final AdamConfig adam;
    private final LearningRateSchedule schedule;
    private final OrtSession session;
    private final Map<String, OnnxTensor> state = new LinkedHashMap<>();
    private List<OnnxTensor> initialState = new ArrayList<>();
    private OrtSession.Result lastResult;
    private long step;
    private double lastLearningRate = Double.NaN;

    private TrainingRunner(OnnxModel inference, TrainingGraph graph, AdamConfig adam, LearningRateSchedule schedule,
            SessionConfig sessionConfig) {
        this.inference = inference;
        this.graph = graph;
        this.adam = adam;
        this.schedule = schedule;
        this.session = OrtSessions.open(inference.name() + " (training step)", graph.model().toByteArray(), sessionConfig);
        Map<String, TensorProto> values = inference.parameters();
        for (var e : graph.parameters().entrySet()) {
            float[] p = Tensors.toFloats(values.get(e.getKey()));
            put(e.getKey(), OrtTensors.of(p, e.getValue()));
            put(AdamGraph.firstMoment(e.getKey()), OrtTensors.of(new float[p.length], e.getValue()));
            put(AdamGraph.secondMoment(e.getKey()), OrtTensors.of(new float[p.length], e.getValue()));
        }
    }

    /**
     * Creates a runner for {@code inference} whose output {@code prediction} feeds {@code loss}.
     *
     * @param trainable    parameters to train (null = all floating-point initializers)
     * @param extraOutputs forward values to return from each step (e.g. the prediction)
     */
    public static TrainingRunner create(OnnxModel inference, String prediction, Loss loss, Collection<String> trainable,
            AdamConfig adam, LearningRateSchedule schedule, SessionConfig session, List<String> extraOutputs) {
        TrainingGraph graph = TrainingGraph.build(inference, prediction, loss, trainable, adam, extraOutputs);
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
            feed.put(AdamGraph.STEP, track(OrtTensors.scalar(next), created));
            feed.put(AdamGraph.LEARNING_RATE, track(OrtTensors.scalar((float) lr), created));
            OrtSession.Result result;
            try {
                result = session.run(feed);
            } catch (OrtException e) {
                throw new IllegalStateException("training step " + next + " of '" + inference.name()
                        + "' failed for batch " + describe(batch) + ": " + e.getMessage(), e);
            }
            float loss = ((OnnxTensor) result.get(TrainingGraph.LOSS).orElseThrow()).getFloatBuffer().get(0);
            Map<String, FloatTensor> outputs = new LinkedHashMap<>();
            graph.extraOutputs().forEach((value, output) ->
                    outputs.put(value, OrtTensors.toFloatTensor((OnnxTensor) result.get(output).orElseThrow())));
            graph.stateOutputs().forEach((input, output) ->
                    state.put(input, (OnnxTensor) result.get(output).orElseThrow()));
            releasePreviousState();
            lastResult = result;
            step = next;
            lastLearningRate = lr;
            return new StepResult(next, loss, outputs);
        } finally {
            created.forEach(OnnxTensor::close);
        }
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

    /** The inference model with the current parameters and provenance metadata (plus {@code metadata}). */
    public OnnxModel exportInference(Map<String, String> metadata) {
        Map<String, float[]> values = new LinkedHashMap<>();
        parameters().forEach((k, v) -> values.put(k, v.data()));
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
        releasePreviousState();
        if (lastResult != null) {
            lastResult.close();
            lastResult = null;
        }
        state.clear();
        try {
            session.close();
        } catch (OrtException e) {
            throw new IllegalStateException("cannot close training session of '" + inference.name() + "'", e);
        }
    }

    /** Closes the tensors the state was held in before the step just run. */
    private void releasePreviousState() {
        initialState.forEach(OnnxTensor::close);
        initialState = new ArrayList<>();
        if (lastResult != null) {
            lastResult.close();
            lastResult = null;
        }
    }

    private void put(String name, OnnxTensor t) {
        state.put(name, t);
        initialState.add(t);
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
