package dev.sfd.core.teachers.imports;

import static dev.sfd.core.teachers.imports.SignatureDetection.describe;
import static dev.sfd.core.teachers.imports.SignatureDetection.isInt;
import static dev.sfd.core.teachers.imports.SignatureDetection.predictionOf;
import static dev.sfd.core.teachers.imports.SignatureDetection.rank;

import ai.onnx.proto.OnnxMl.GraphProto;
import ai.onnx.proto.OnnxMl.ModelProto;
import ai.onnx.proto.OnnxMl.NodeProto;
import ai.onnx.proto.OnnxMl.TensorProto;
import ai.onnx.proto.OnnxMl.TensorProto.DataType;
import ai.onnx.proto.OnnxMl.ValueInfoProto;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.sfd.core.diffusion.schedule.AlphaBarTable;
import dev.sfd.core.distill.GraphOrder;
import dev.sfd.core.distill.TeacherInfo;
import dev.sfd.core.onnx.Attrs;
import dev.sfd.core.onnx.GraphBuilder;
import dev.sfd.core.onnx.OnnxModel;
import dev.sfd.core.onnx.Tensors;
import dev.sfd.core.teachers.TeacherMetadata;
import dev.sfd.core.teachers.imports.ImportOptions.Noise;
import dev.sfd.core.teachers.imports.ImportOptions.Prediction;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * Turns a foreign ONNX diffusion model (as {@code torch.onnx.export} writes it) into a teacher of
 * the SFD contract without changing its computation: the original nodes and weights are kept as
 * they are, and a thin wrapper around them maps the contract's inputs {@code x} (VE state),
 * {@code t} (σ) and {@code cond} (int64 label, −1 = ∅) to the network's own inputs (for VP: the
 * scaled sample x/√(σ²+1) and the interpolated discrete timestep of σ in the ᾱ table; SFD.md
 * "Latent / VP models"), and its output (ε, x₀, v or an EDM denoiser D) to {@code eps}. The
 * contract metadata is added, with {@code sfd.import.*} keys recording every decision.
 */
public final class TeacherImport {

    /** Metadata: JSON of the import decisions (also in sfd.recipe). */
    public static final String IMPORT_PREFIX = "sfd.import.";
    /** Metadata: comma-separated initializers that are constants of the export, not weights (not trained). */
    public static final String FROZEN = TeacherMetadata.FROZEN;

    /**
     * The imported teacher and what was decided.
     *
     * @param model     the teacher (contract inputs/outputs and metadata)
     * @param decisions one line per decision, saying whether it was detected or given and how to override it
     */
    public record Result(OnnxModel model, List<String> decisions) {
    }

    private TeacherImport() {
    }

    public static Result run(String source, OnnxModel foreign, byte[] bytes, ImportOptions o) {
        return new Importer(source, foreign, bytes, o).run();
    }

    private static final class Importer {
        final String source;
        final OnnxModel foreign;
        final byte[] bytes;
        final ImportOptions o;
        final List<String> decisions = new ArrayList<>();
        final Map<String, String> recipe = new LinkedHashMap<>();
        final SignatureDetection sig;

        Importer(String source, OnnxModel foreign, byte[] bytes, ImportOptions o) {
            this.source = source;
            this.foreign = foreign;
            this.bytes = bytes;
            this.o = o;
            this.sig = new SignatureDetection(o, decisions);
        }

        Result run() {
            GraphProto graph = foreign.graph();
            Set<String> initNames = new HashSet<>();
            graph.getInitializerList().forEach(t -> initNames.add(t.getName()));
            List<ValueInfoProto> inputs = graph.getInputList().stream().filter(v -> !initNames.contains(v.getName()))
                    .toList();
            Map<String, ValueInfoProto> byName = new LinkedHashMap<>();
            inputs.forEach(v -> byName.put(v.getName(), v));

            String sample = sig.sampleInput(byName);
            String time = sig.timeInput(byName, sample);
            String cond = sig.pickCond(byName, sample, time);
            List<String> outputs = foreign.outputNames();
            String output = sig.pickOutput(outputs);

            ValueInfoProto sampleInfo = byName.get(sample);
            ValueInfoProto timeInfo = byName.get(time);
            long[] shape = sig.sampleShape(sampleInfo);
            if (rank(timeInfo) == 0) {
                throw new ImportException(null, "time input '" + time + "' is a scalar: SFD evaluates a batch at "
                        + "different noise levels; re-export with a [batch] timestep (e.g. timestep.expand(sample.shape[0]))");
            }

            Noise noise = o.noise != null ? given("noise", o.noise, "--noise")
                    : detected("noise", isInt(timeInfo) || time.toLowerCase(Locale.ROOT).contains("timestep")
                            ? Noise.VP : Noise.VE, "from the time input '" + time + "'", "--noise ve|vp");
            Prediction prediction = o.prediction != null ? given("prediction", o.prediction, "--prediction")
                    : detected("prediction", predictionOf(output), "from the output name '" + output + "'",
                            "--prediction eps|x0|v|edm");
            if (noise == Noise.VP && prediction == Prediction.EDM) {
                throw new ImportException("--prediction x0", "an EDM denoiser D is a VE parameterisation; for a VP "
                        + "network that predicts the clean sample use --prediction x0");
            }
            AlphaBarTable table = noise == Noise.VP ? table() : null;
            double[] range = range(table);
            int classes = 0;
            Integer nullLabel = null;
            boolean embedding = cond != null && isEmbedding(byName.get(cond));
            if (cond != null && embedding) {
                decisions.add("condition: '" + cond + "' is a float embedding " + describe(byName.get(cond))
                        + " (e.g. a text encoder's hidden states), passed through unchanged as '" + TeacherMetadata.COND
                        + "'; ∅ is the caller's null embedding (e.g. the empty prompt's)");
            } else if (cond != null) {
                ValueInfoProto ci = byName.get(cond);
                if (!isInt(ci) || rank(ci) != 1) {
                    throw new ImportException("--cond-input none", "condition input '" + cond + "' is "
                            + describe(ci) + ": a condition must be class labels (int64 [batch]) or a float embedding "
                            + "[batch, …] (rank 2 or more); import such an export, or ignore the input with "
                            + "--cond-input none only if the graph does not need it");
                }
                int[] cl = classes(graph, cond);
                classes = cl[0];
                nullLabel = cl[1] < 0 ? null : cl[1];
            }

            ModelProto renamed = freeContractNames(foreign.proto(), sample, time, cond, output, noise, prediction);
            String fSample = renamedName(sample);
            String fTime = renamedName(time);
            String fCond = cond == null ? null : renamedName(cond);
            String fOutput = renamedName(output);

            Set<String> replaced = new HashSet<>(List.of(fSample, fTime));
            if (fCond != null) {
                replaced.add(fCond);
            }
            replaced.removeAll(List.of(TeacherMetadata.X, TeacherMetadata.T, TeacherMetadata.COND));
            GraphProto.Builder withoutRoles = renamed.getGraph().toBuilder().clearInput();
            renamed.getGraph().getInputList().stream().filter(v -> !replaced.contains(v.getName()))
                    .forEach(withoutRoles::addInput);
            GraphBuilder g = GraphBuilder.edit(renamed.toBuilder().setGraph(withoutRoles).build());
            long[] xDims = new long[shape.length + 1];
            xDims[0] = -1;
            System.arraycopy(shape, 0, xDims, 1, shape.length);
            List<String> newInputs = new ArrayList<>();
            Object[] xSym = new Object[xDims.length];
            xSym[0] = "batch";
            for (int i = 1; i < xDims.length; i++) {
                xSym[i] = xDims[i];
            }
            if (!fSample.equals(TeacherMetadata.X)) {
                g.input(TeacherMetadata.X, DataType.FLOAT, xSym);
                newInputs.add(TeacherMetadata.X);
            }
            if (!fTime.equals(TeacherMetadata.T)) {
                g.input(TeacherMetadata.T, DataType.FLOAT, "batch");
                newInputs.add(TeacherMetadata.T);
            }
            if (fCond != null && !fCond.equals(TeacherMetadata.COND)) {
                if (embedding) {
                    g.input(TeacherMetadata.COND, DataType.FLOAT, embeddingDims(byName.get(cond)));
                } else {
                    g.input(TeacherMetadata.COND, DataType.INT64, "batch");
                }
                newInputs.add(TeacherMetadata.COND);
            }
            long[] bcast = new long[shape.length + 1];
            Arrays.fill(bcast, 1);
            bcast[0] = -1;
            String tb = g.reshape(TeacherMetadata.T, bcast);
            String scale = null;
            if (noise == Noise.VP) {
                scale = g.sqrt(g.add(g.mul(tb, tb), g.scalar(1)));          // √(σ² + 1)
                g.op("Div", List.of(TeacherMetadata.X, scale), fSample);    // x_VP = x / √(σ² + 1)
                String u = VpTimestepGraph.timestepOf(g, TeacherMetadata.T, table);
                feedTime(g, u, fTime, timeInfo);
            } else {
                if (!fSample.equals(TeacherMetadata.X)) {
                    g.op("Identity", List.of(TeacherMetadata.X), fSample);
                }
                if (!fTime.equals(TeacherMetadata.T)) {
                    feedTime(g, TeacherMetadata.T, fTime, timeInfo);
                }
            }
            if (fCond != null && !fCond.equals(TeacherMetadata.COND) && embedding) {
                g.op("Identity", List.of(TeacherMetadata.COND), fCond);
            } else if (fCond != null && !fCond.equals(TeacherMetadata.COND)) {
                String labels = TeacherMetadata.COND;
                if (nullLabel != null) {
                    labels = g.where(g.op("Less", List.of(labels, g.int64(0))), g.int64(nullLabel), labels);
                }
                int type = byName.get(cond).getType().getTensorType().getElemType();
                g.op("Cast", List.of(labels), fCond, Attrs.i("to", type));
            }
            String eps = switch (prediction) {
                case EPS -> fOutput;
                case X0, EDM -> g.div(g.sub(TeacherMetadata.X, fOutput), tb);          // ε = (x − D)/σ
                case V -> { // ε = σ·x/(σ²+1) + v/√(σ²+1)
                    String s = scale != null ? scale : g.sqrt(g.add(g.mul(tb, tb), g.scalar(1)));
                    yield g.add(g.div(g.mul(tb, TeacherMetadata.X), g.mul(s, s)), g.div(fOutput, s));
                }
            };
            if (!eps.equals(TeacherMetadata.EPS)) {
                g.op("Identity", List.of(eps), TeacherMetadata.EPS);
            }
            g.clearOutputs();
            g.output(TeacherMetadata.EPS, DataType.FLOAT, xSym);
            ModelProto built = g.build();
            GraphProto sorted = GraphOrder.sorted(built.getGraph());
            ModelProto wrapped = built.toBuilder().setGraph(sorted).clearMetadataProps()
                    .addAllMetadataProps(foreign.proto().getMetadataPropsList()).build();

            Map<String, String> meta = new LinkedHashMap<>();
            meta.put(TeacherMetadata.KIND, TeacherMetadata.KIND_TEACHER);
            String dataset = o.dataset != null ? o.dataset : "custom";
            meta.put(TeacherMetadata.DATASET, dataset);
            meta.put(TeacherMetadata.SAMPLE_SHAPE, TeacherInfo.shapeString(shape));
            meta.put(TeacherMetadata.T_MIN, Double.toString(range[0]));
            meta.put(TeacherMetadata.T_MAX, Double.toString(range[1]));
            meta.put(TeacherMetadata.CLASSES, Integer.toString(classes));
            if (embedding) {
                meta.put(TeacherMetadata.COND_EMBEDDING, embeddingShape(byName.get(cond)));
            }
            meta.put(TeacherMetadata.CODE_VERSION, TeacherMetadata.CURRENT_CODE_VERSION);
            List<String> frozen = FrozenConstants.of(wrapped.getGraph());
            meta.put(FROZEN, String.join(",", frozen));
            if (!frozen.isEmpty()) {
                decisions.add("constants of the export kept fixed while distilling (" + frozen.size()
                        + " scalar/shape initializers)");
            }
            OnnxModel partial = ValueShapes.withMeasuredRanks(new OnnxModel(wrapped).withMetadata(meta));
            wrapped = partial.proto().toBuilder().clearMetadataProps()
                    .addAllMetadataProps(foreign.proto().getMetadataPropsList()).build();
            String[] injection = injection(partial, fTime, fSample, fCond);
            meta.put(TeacherMetadata.TIME_EMBEDDING, injection[0]);
            meta.put(TeacherMetadata.TIME_EMBEDDING_DIM, injection[1]);
            recipe.put("source", source);
            recipe.put("source_sha256", TeacherInfo.sha256(bytes));
            recipe.put("sample_input", sample);
            recipe.put("time_input", time);
            recipe.put("cond_input", cond == null ? "none" : cond);
            recipe.put("output", output);
            recipe.put("prediction", prediction.name().toLowerCase(Locale.ROOT));
            recipe.put("noise", noise.name().toLowerCase(Locale.ROOT));
            if (nullLabel != null) {
                recipe.put("null_label", Integer.toString(nullLabel));
            }
            ObjectNode json = new ObjectMapper().createObjectNode().put("kind", "import");
            recipe.forEach(json::put);
            meta.put(TeacherMetadata.RECIPE, json.toString());
            recipe.forEach((k, v) -> meta.put(IMPORT_PREFIX + k, v));
            return new Result(new OnnxModel(wrapped).withMetadata(meta), List.copyOf(decisions));
        }

        // ------------------------------------------------------------------ inputs and outputs

        <T> T given(String what, T value, String flag) {
            decisions.add(what + ": " + value.toString().toLowerCase(Locale.ROOT) + " (given by " + flag + ")");
            return value;
        }

        <T> T detected(String what, T value, String why, String flag) {
            decisions.add(what + ": " + value.toString().toLowerCase(Locale.ROOT) + " (detected " + why
                    + "; override with " + flag + ")");
            return value;
        }

        // ------------------------------------------------------------------ noise

        AlphaBarTable table() {
            if (o.alphasCumprod != null) {
                decisions.add("ᾱ table: " + o.alphasCumprod.length + " entries (given by --alphas-cumprod)");
                recipe.put("alphas_cumprod_entries", Integer.toString(o.alphasCumprod.length));
                return new AlphaBarTable(o.alphasCumprod);
            }
            String schedule = o.betaSchedule != null ? o.betaSchedule : "scaled-linear";
            double start = o.betaStart != null ? o.betaStart : 0.00085;
            double end = o.betaEnd != null ? o.betaEnd : 0.012;
            int steps = o.trainSteps != null ? o.trainSteps : 1000;
            AlphaBarTable t = switch (schedule) {
                case "scaled-linear" -> AlphaBarTable.scaledLinear(start, end, steps);
                case "linear" -> AlphaBarTable.linear(start, end, steps);
                default -> throw new ImportException("--beta-schedule linear|scaled-linear",
                        "unknown β schedule '" + schedule + "'");
            };
            boolean defaults = o.betaSchedule == null && o.betaStart == null && o.betaEnd == null && o.trainSteps == null;
            decisions.add(String.format(Locale.ROOT, "ᾱ table: %s β %g..%g over %d steps (%s; set with "
                    + "--beta-schedule/--beta-start/--beta-end/--train-steps or --alphas-cumprod)", schedule, start, end,
                    steps, defaults ? "Stable Diffusion's default" : "given"));
            recipe.put("beta_schedule", schedule);
            recipe.put("beta_start", Double.toString(start));
            recipe.put("beta_end", Double.toString(end));
            recipe.put("train_steps", Integer.toString(steps));
            return t;
        }

        double[] range(AlphaBarTable table) {
            Map<String, String> m = foreign.metadata();
            Double lo = o.tMin;
            Double hi = o.tMax;
            String how = "given by --t-min/--t-max";
            if (lo == null && m.containsKey(TeacherMetadata.T_MIN)) {
                lo = Double.parseDouble(m.get(TeacherMetadata.T_MIN));
                how = "from the model's metadata";
            }
            if (hi == null && m.containsKey(TeacherMetadata.T_MAX)) {
                hi = Double.parseDouble(m.get(TeacherMetadata.T_MAX));
            }
            if (table != null) {
                if (lo == null) {
                    lo = table.sigmaMin();
                    how = "the ᾱ table's σ range";
                }
                if (hi == null) {
                    hi = table.sigmaMax();
                }
                if (lo < table.sigmaMin() * (1 - 1e-9) || hi > table.sigmaMax() * (1 + 1e-9)) {
                    throw new ImportException("--t-min/--t-max", String.format(Locale.ROOT,
                            "noise range [%g, %g] leaves the ᾱ table's σ range [%g, %g]", lo, hi, table.sigmaMin(),
                            table.sigmaMax()));
                }
            }
            if (lo == null || hi == null) {
                throw new ImportException("--t-min and --t-max", "a VE model's noise range (smallest and largest σ it "
                        + "was trained on) cannot be read from the graph: pass e.g. --t-min 0.002 --t-max 80");
            }
            if (!(lo > 0 && hi > lo)) {
                throw new ImportException("--t-min/--t-max", "noise range needs 0 < t-min < t-max, got " + lo + " and "
                        + hi);
            }
            decisions.add(String.format(Locale.ROOT, "noise range σ ∈ [%g, %g] (%s)", lo, hi, how));
            return new double[] {lo, hi};
        }

        void feedTime(GraphBuilder g, String value, String target, ValueInfoProto timeInfo) {
            if (isInt(timeInfo)) {
                g.op("Cast", List.of(g.op("Round", List.of(value))), target,
                        Attrs.i("to", timeInfo.getType().getTensorType().getElemType()));
            } else {
                g.op("Identity", List.of(value), target);
            }
        }

        // ------------------------------------------------------------------ conditioning

        /** A float condition of rank 2 or more is an embedding per sample (not a label). */
        static boolean isEmbedding(ValueInfoProto v) {
            return v.getType().getTensorType().getElemType() == DataType.FLOAT_VALUE && rank(v) >= 2;
        }

        /** The embedding input's dims for the contract input: batch symbolic, the rest as declared. */
        static Object[] embeddingDims(ValueInfoProto v) {
            var shape = v.getType().getTensorType().getShape();
            Object[] dims = new Object[shape.getDimCount()];
            dims[0] = "batch";
            for (int i = 1; i < dims.length; i++) {
                var d = shape.getDim(i);
                dims[i] = d.hasDimValue() ? (Object) d.getDimValue() : "cond_d" + i;
            }
            return dims;
        }

        /** "L,D" of one sample's embedding, -1 where symbolic ({@link TeacherMetadata#COND_EMBEDDING}). */
        static String embeddingShape(ValueInfoProto v) {
            var shape = v.getType().getTensorType().getShape();
            StringBuilder sb = new StringBuilder();
            for (int i = 1; i < shape.getDimCount(); i++) {
                var d = shape.getDim(i);
                sb.append(i > 1 ? "," : "").append(d.hasDimValue() ? d.getDimValue() : -1);
            }
            return sb.toString();
        }

        /**
         * {classes, null label or −1}. The label table is the 2-D initializer a Gather indexes with
         * {@code cond}, followed through Identity, Cast and Add/Sub of an integer constant: a PyTorch
         * export that keeps ∅ in row 0 indexes it with {@code cond + 1}, so labels 0…C−1 are rows 1…C
         * and SFD's ∅ (−1) lands on row 0 unchanged.
         */
        int[] classes(GraphProto graph, String cond) {
            long[] table = labelTable(graph, cond);
            long rows = table[0];
            long offset = table[1];
            int classes;
            Integer nul = o.nullLabel;
            if (o.classes != null) {
                classes = o.classes;
                decisions.add("classes: " + classes + " (given by --classes)");
            } else if (rows > 0 && offset != 0) {
                classes = (int) (rows - offset);
                decisions.add("classes: " + classes + " (the label embedding has " + rows + " rows, indexed as '"
                        + cond + (offset > 0 ? " + " : " − ") + Math.abs(offset) + "'; override with --classes)");
            } else if (rows > 0) {
                classes = (int) (nul != null && nul == rows - 1 || nul == null ? rows - 1 : rows);
                decisions.add("classes: " + classes + " (the label embedding has " + rows + " rows"
                        + (nul == null ? ", the last taken as ∅" : "") + "; override with --classes)");
                if (nul == null) {
                    nul = (int) rows - 1;
                }
            } else {
                throw new ImportException("--classes C", "cannot find the label embedding table that '" + cond
                        + "' indexes, so the number of classes is unknown");
            }
            if (classes < 1) {
                throw new ImportException("--classes C", "need at least one class, got " + classes);
            }
            if (nul == null && offset == 1 && o.classes == null) {
                decisions.add("∅ (SFD's label −1) is passed to the network unchanged: '" + cond + " + 1' makes it row 0"
                        + " (override with --null-label)");
                return new int[] {classes, -1};
            }
            if (nul != null) {
                decisions.add("∅ (SFD's label −1) is passed to the network as label " + nul
                        + (o.nullLabel != null ? " (given by --null-label)" : " (override with --null-label)"));
            } else {
                decisions.add("no ∅ label (classifier-free guidance unavailable; set one with --null-label)");
            }
            return new int[] {classes, nul == null ? -1 : nul};
        }

        /**
         * {rows of the label table (−1 if none found), index offset}: follows {@code cond} in graph
         * order through Identity, Cast and Add/Sub with a scalar integer constant to a Gather of a 2-D
         * initializer.
         */
        long[] labelTable(GraphProto graph, String cond) {
            Map<String, Long> offsets = new HashMap<>(Map.of(cond, 0L));
            Map<String, Long> constants = new HashMap<>();
            for (TensorProto t : graph.getInitializerList()) {
                scalarInt(t).ifPresent(v -> constants.put(t.getName(), v));
            }
            for (NodeProto n : graph.getNodeList()) {
                switch (n.getOpType()) {
                    case "Constant" -> n.getAttributeList().stream().filter(a -> a.getName().equals("value") && a.hasT())
                            .findFirst().flatMap(a -> scalarInt(a.getT())).ifPresent(v -> constants.put(n.getOutput(0), v));
                    case "Identity", "Cast" -> {
                        if (offsets.containsKey(n.getInput(0))) {
                            offsets.put(n.getOutput(0), offsets.get(n.getInput(0)));
                        }
                    }
                    case "Add", "Sub" -> {
                        String a = n.getInput(0);
                        String b = n.getInput(1);
                        boolean add = n.getOpType().equals("Add");
                        if (offsets.containsKey(a) && constants.containsKey(b)) {
                            offsets.put(n.getOutput(0), offsets.get(a) + (add ? constants.get(b) : -constants.get(b)));
                        } else if (add && offsets.containsKey(b) && constants.containsKey(a)) {
                            offsets.put(n.getOutput(0), offsets.get(b) + constants.get(a));
                        }
                    }
                    case "Gather" -> {
                        if (n.getInputCount() == 2 && offsets.containsKey(n.getInput(1))) {
                            for (TensorProto t : graph.getInitializerList()) {
                                if (t.getName().equals(n.getInput(0)) && t.getDimsCount() == 2) {
                                    return new long[] {t.getDims(0), offsets.get(n.getInput(1))};
                                }
                            }
                        }
                    }
                    default -> { }
                }
            }
            return new long[] {-1, 0};
        }

        /** The value of a one-element INT64 or INT32 tensor. */
        private static Optional<Long> scalarInt(TensorProto t) {
            long elements = t.getDimsList().stream().mapToLong(Long::longValue).reduce(1, (x, y) -> x * y);
            if (elements != 1) {
                return Optional.empty();
            }
            if (t.getDataType() == TensorProto.DataType.INT64_VALUE) {
                return Optional.of(Tensors.toLongs(t)[0]);
            }
            if (t.getDataType() == TensorProto.DataType.INT32_VALUE) {
                return Optional.of((long) (t.hasRawData()
                        ? t.getRawData().asReadOnlyByteBuffer().order(java.nio.ByteOrder.LITTLE_ENDIAN).getInt()
                        : t.getInt32Data(0)));
            }
            return Optional.empty();
        }

        // ------------------------------------------------------------------ step-count injection

        /** {value or "none", width}. */
        String[] injection(OnnxModel wrapped, String time, String sample, String cond) {
            if (o.inject != null) {
                if (o.inject.equals("none")) {
                    decisions.add("step-count embedding: none (given by --inject none): a fixed-N student");
                    return new String[] {"none", "0"};
                }
                boolean produced = wrapped.graph().getNodeList().stream().anyMatch(n -> n.getOutputList().contains(o.inject));
                if (!produced) {
                    throw new ImportException("--inject NAME", "no node of the graph produces '" + o.inject + "'");
                }
                long width = o.injectDim > 0 ? o.injectDim : ValueShapes.width(wrapped, o.inject);
                if (width <= 0) {
                    throw new ImportException("--inject-dim D", "'" + o.inject + "' is not shaped [batch, D]");
                }
                decisions.add("step-count embedding added to '" + o.inject + "' [B, " + width + "] (given by --inject)");
                return new String[] {o.inject, Long.toString(width)};
            }
            List<String> data = new ArrayList<>(List.of(sample));
            if (cond != null) {
                data.add(cond);
            }
            List<String> candidates = TimeEmbeddingDetector.candidates(wrapped.graph(), time, data);
            Map<String, Long> widths = ValueShapes.widths(wrapped, candidates);
            for (String c : candidates) {
                long w = widths.getOrDefault(c, -1L);
                if (w > 0) {
                    decisions.add("step-count embedding added to '" + c + "' [B, " + w + "] (detected: the output of "
                            + "the time MLP; override with --inject NAME or --inject none)");
                    return new String[] {c, Long.toString(w)};
                }
            }
            decisions.add("step-count embedding: none (no learned time embedding shaped [B, D] found; name one with "
                    + "--inject NAME): a fixed-N student");
            return new String[] {"none", "0"};
        }

        // ------------------------------------------------------------------ names

        final Map<String, String> renames = new LinkedHashMap<>();

        String renamedName(String n) {
            return renames.getOrDefault(n, n);
        }

        /** Renames foreign values that use a contract name for something else (or need a wrapper in between). */
        ModelProto freeContractNames(ModelProto model, String sample, String time, String cond, String output,
                Noise noise, Prediction prediction) {
            Set<String> used = new HashSet<>();
            GraphProto g = model.getGraph();
            g.getInputList().forEach(v -> used.add(v.getName()));
            g.getInitializerList().forEach(t -> used.add(t.getName()));
            g.getNodeList().forEach(n -> used.addAll(n.getOutputList()));
            Map<String, Boolean> passThrough = Map.of(
                    TeacherMetadata.X, sample.equals(TeacherMetadata.X) && noise == Noise.VE,
                    TeacherMetadata.T, time.equals(TeacherMetadata.T) && noise == Noise.VE,
                    TeacherMetadata.COND, false,
                    TeacherMetadata.EPS, output.equals(TeacherMetadata.EPS) && prediction == Prediction.EPS);
            for (var e : passThrough.entrySet()) {
                if (used.contains(e.getKey()) && !e.getValue()) {
                    String fresh = e.getKey() + ".foreign";
                    while (used.contains(fresh)) {
                        fresh = fresh + "_";
                    }
                    renames.put(e.getKey(), fresh);
                    used.add(fresh);
                }
            }
            if (renames.isEmpty()) {
                return model;
            }
            return ValueRenamer.rename(model, renames);
        }
    }

}
