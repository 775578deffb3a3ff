package dev.sfd.sampler;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.sfd.api.v1.GenerateRequest;
import dev.sfd.api.v1.GenerateResponse;
import dev.sfd.api.v1.OutputFormat;
import dev.sfd.api.v1.Sample;
import dev.sfd.core.distill.StudentMetadata;
import dev.sfd.core.image.PngImages;
import dev.sfd.core.tensor.FloatTensor;
import dev.sfd.pipeline.sampler.LoadedModel;
import dev.sfd.pipeline.sampler.RequestValidator;
import dev.sfd.pipeline.sampler.SamplerException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Base64;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * JSON of the playground's HTTP API. Requests become the same {@link GenerateRequest} a gRPC
 * client sends (field names as in sfd.v1); responses mirror {@code GenerateResponse}. Seeds are
 * JSON strings in responses (they are 63-bit; JavaScript numbers hold 53) and may be strings or
 * numbers in requests.
 */
final class PlaygroundJson {

    static final ObjectMapper JSON = new ObjectMapper();
    private static final Set<String> FIELDS = Set.of("prompt", "label", "steps", "nfe", "guidance", "seeds", "seed",
            "count", "output");

    private PlaygroundJson() {
    }

    static String write(Object o) {
        try {
            return JSON.writeValueAsString(o);
        } catch (Exception e) {
            throw new IllegalStateException("cannot write JSON: " + e.getMessage(), e);
        }
    }

    /** A JSON body → the sfd.v1 request; a field of the wrong type is INVALID_ARGUMENT naming it. */
    static GenerateRequest request(String body) {
        JsonNode n;
        try {
            n = JSON.readTree(body == null || body.isBlank() ? "{}" : body);
        } catch (Exception e) {
            throw SamplerException.invalid("body", "is not JSON (" + e.getMessage().lines().findFirst().orElse("")
                    + "); send an object such as {\"prompt\": \"north\", \"nfe\": 2, \"seed\": 7, \"count\": 4}");
        }
        if (!n.isObject()) {
            throw SamplerException.invalid("body", "must be a JSON object, got " + n.getNodeType());
        }
        for (Iterator<String> it = n.fieldNames(); it.hasNext(); ) {
            String f = it.next();
            if (!FIELDS.contains(f)) {
                throw SamplerException.invalid(f, "is not a request field; known: " + new java.util.TreeSet<>(FIELDS));
            }
        }
        // sfd.v1 makes these one-ofs (a gRPC client cannot send both); JSON can: refuse as the validator words it
        if (present(n, "prompt") && present(n, "label")) {
            throw SamplerException.invalid("prompt", "give a prompt or a label, not both");
        }
        if (present(n, "steps") && present(n, "nfe")) {
            throw SamplerException.invalid("steps", "give steps or nfe, not both");
        }
        GenerateRequest.Builder b = GenerateRequest.newBuilder();
        text(n, "prompt").ifPresent(b::setPrompt);
        integer(n, "label").ifPresent(v -> b.setLabel(Math.toIntExact(v)));
        integer(n, "steps").ifPresent(v -> b.setSteps(Math.toIntExact(v)));
        integer(n, "nfe").ifPresent(v -> b.setNfe(Math.toIntExact(v)));
        integer(n, "seed").ifPresent(b::setSeed);
        integer(n, "count").ifPresent(v -> b.setCount(Math.toIntExact(v)));
        JsonNode g = n.get("guidance");
        if (g != null && !g.isNull()) {
            if (!g.isNumber()) {
                throw SamplerException.invalid("guidance", "must be a number, got " + g);
            }
            b.setGuidance(g.doubleValue());
        }
        JsonNode seeds = n.get("seeds");
        if (seeds != null && !seeds.isNull()) {
            if (!seeds.isArray()) {
                throw SamplerException.invalid("seeds", "must be an array of integers, got " + seeds);
            }
            for (JsonNode s : seeds) {
                b.addSeeds(longValue("seeds", s));
            }
        }
        text(n, "output").ifPresent(o -> b.setOutput(switch (o.toLowerCase(java.util.Locale.ROOT)) {
            case "png" -> OutputFormat.OUTPUT_FORMAT_PNG;
            case "tensor" -> OutputFormat.OUTPUT_FORMAT_TENSOR;
            default -> throw SamplerException.invalid("output", "must be \"png\" or \"tensor\", got \"" + o + "\"");
        }));
        return b.build();
    }

    private static boolean present(JsonNode n, String field) {
        return n.hasNonNull(field);
    }

    private static Optional<String> text(JsonNode n, String field) {
        JsonNode v = n.get(field);
        if (v == null || v.isNull()) {
            return Optional.empty();
        }
        if (!v.isTextual()) {
            throw SamplerException.invalid(field, "must be a string, got " + v);
        }
        return Optional.of(v.textValue());
    }

    private static Optional<Long> integer(JsonNode n, String field) {
        JsonNode v = n.get(field);
        if (v == null || v.isNull()) {
            return Optional.empty();
        }
        long l = longValue(field, v);
        if (!field.equals("seed") && (l < Integer.MIN_VALUE || l > Integer.MAX_VALUE)) {
            throw SamplerException.invalid(field, "is out of range: " + l);
        }
        return Optional.of(l);
    }

    private static long longValue(String field, JsonNode v) {
        if (v.isIntegralNumber() && v.canConvertToLong()) {
            return v.longValue();
        }
        if (v.isTextual()) {
            try {
                return Long.parseLong(v.textValue().trim());
            } catch (NumberFormatException e) {
                // reported below
            }
        }
        throw SamplerException.invalid(field, "must be an integer, got " + v);
    }

    /** The sfd.v1 response as JSON (the same fields; PNG bytes base64). */
    static Map<String, Object> response(GenerateResponse r) {
        Map<String, Object> m = new LinkedHashMap<>();
        List<Object> samples = new ArrayList<>();
        for (Sample s : r.getSamplesList()) {
            Map<String, Object> o = new LinkedHashMap<>();
            o.put("index", s.getIndex());
            o.put("seed", Long.toString(s.getSeed()));
            if (s.hasTensor()) {
                o.put("tensor", Map.of("shape", s.getTensor().getShapeList(), "values", s.getTensor().getValuesList()));
            } else {
                o.put("png", Base64.getEncoder().encodeToString(s.getPng().toByteArray()));
            }
            samples.add(o);
        }
        m.put("samples", samples);
        m.put("model", Map.of("student", r.getModel().getStudent(), "version", r.getModel().getVersion(),
                "sha256", r.getModel().getSha256()));
        m.put("steps", r.getSteps());
        m.put("nfe", r.getNfe());
        m.put("trained", r.getTrained());
        m.put("warning", r.getWarning());
        m.put("guidance", r.getGuidance());
        m.put("label", r.getLabel());
        m.put("timestamps", r.getTimestampsList());
        m.put("timings", Map.of("queueMs", r.getTimings().getQueueMs(), "modelMs", r.getTimings().getModelMs(),
                "totalMs", r.getTimings().getTotalMs(), "batchSize", r.getTimings().getBatchSize()));
        return m;
    }

    /** Teacher samples in the same shape as the student's ({@code index}, {@code seed}, png or tensor). */
    static List<Object> samples(FloatTensor all, long[] seeds, boolean png) {
        List<Object> out = new ArrayList<>();
        int per = all.sampleSize();
        long[] shape = Arrays.copyOfRange(all.shape(), 1, all.shape().length);
        for (int i = 0; i < seeds.length; i++) {
            Map<String, Object> o = new LinkedHashMap<>();
            o.put("index", i);
            o.put("seed", Long.toString(seeds[i]));
            if (png) {
                o.put("png", Base64.getEncoder().encodeToString(PngImages.toPngBytes(PngImages.toImage(all.data(),
                        i * per, Math.toIntExact(shape[0]), Math.toIntExact(shape[1]), Math.toIntExact(shape[2])))));
            } else {
                List<Float> values = new ArrayList<>(per);
                for (int k = i * per; k < (i + 1) * per; k++) {
                    values.add(all.data()[k]);
                }
                o.put("tensor", Map.of("shape", Arrays.stream(shape).boxed().toList(), "values", values));
            }
            out.add(o);
        }
        return out;
    }

    /** The live model: what the page's "live model" panel shows (reads nothing that can block). */
    static Map<String, Object> model(SamplerRuntime runtime) {
        Map<String, Object> m = new LinkedHashMap<>();
        Optional<LoadedModel> current = runtime.live() == null ? Optional.empty() : runtime.live().current();
        m.put("student", runtime.config().student());
        m.put("ready", current.isPresent());
        current.ifPresent(c -> {
            StudentMetadata meta = c.metadata();
            m.put("version", c.version());
            m.put("sha256", c.manifest().sha256());
            m.put("loadedAt", c.loadedAt().toString());
            m.put("dataset", meta.dataset());
            m.put("sampleShape", Arrays.stream(meta.sampleShape()).boxed().toList());
            m.put("image", RequestValidator.isImage(meta.sampleShape()));
            m.put("classes", meta.classes());
            m.put("afs", meta.afs());
            m.put("trainedSteps", meta.stepCounts());
            m.put("trainedNfe", meta.stepCounts().stream().map(meta::nfe).toList());
            m.put("teacher", meta.teacherId());
            m.put("trajectories", meta.trajectories());
        });
        if (runtime.live() != null) {
            runtime.live().pinned().ifPresent(p -> m.put("pinned", p));
        }
        List<Object> reloads = new ArrayList<>();
        for (ReloadLog.Entry e : runtime.reloads().entries()) {
            reloads.add(Map.of("version", e.version(), "result", e.result(), "reason", e.reason(),
                    "at", e.at().toString()));
        }
        m.put("reloads", reloads);
        return m;
    }

    /** An error body: {@code {code, field, message}}; the message is the one gRPC gives, never a stack trace. */
    static Map<String, Object> error(String code, String message) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("code", code);
        String msg = message == null ? code : message;
        if (code.equals("INVALID_ARGUMENT") && msg.indexOf(':') > 0) {
            m.put("field", msg.substring(0, msg.indexOf(':')));
        }
        m.put("message", msg);
        return m;
    }
}
