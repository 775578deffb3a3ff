package dev.sfd.sampler;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.sfd.api.v1.GenerateRequest;
import dev.sfd.api.v1.GenerateResponse;
import dev.sfd.api.v1.Sample;
import dev.sfd.core.distill.StudentMetadata;
import dev.sfd.core.image.PngImages;
import dev.sfd.core.tensor.FloatTensor;
import dev.sfd.pipeline.sampler.LoadedModel;
import dev.sfd.pipeline.sampler.RequestValidator;
import dev.sfd.pipeline.sampler.TextPipeline;
import dev.sfd.pipeline.sampler.SamplerException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import com.google.protobuf.Descriptors;
import com.google.protobuf.InvalidProtocolBufferException;
import com.google.protobuf.util.JsonFormat;

/**
 * JSON of the playground's HTTP API. Requests and responses are the same sfd.v1 messages a gRPC
 * client exchanges, mapped by protobuf's own JSON mapping ({@link JsonFormat}: proto3 field names in
 * lowerCamelCase, 64-bit integers such as seeds and versions as JSON strings, bytes as base64,
 * enums by name, e.g. {@code "output": "OUTPUT_FORMAT_TENSOR"}). Only what JSON can say and a
 * proto cannot is checked by hand first: a body that is not an object, an unknown field, and both
 * members of a one-of; and a value of the wrong type is named by its field.
 */
final class PlaygroundJson {

    static final ObjectMapper JSON = new ObjectMapper();
    private static final Descriptors.Descriptor REQUEST = GenerateRequest.getDescriptor();
    private static final JsonFormat.Parser PARSER = JsonFormat.parser();
    private static final JsonFormat.Printer PRINTER = JsonFormat.printer().alwaysPrintFieldsWithNoPresence()
            .omittingInsignificantWhitespace();

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
        String text = body == null || body.isBlank() ? "{}" : body;
        JsonNode n;
        try {
            n = JSON.readTree(text);
        } catch (Exception e) {
            throw SamplerException.invalid("body", "is not JSON (" + e.getMessage().lines().findFirst().orElse("")
                    + "); send an object such as {\"prompt\": \"north\", \"nfe\": 2, \"seed\": 7, \"count\": 4}");
        }
        if (!n.isObject()) {
            throw SamplerException.invalid("body", "must be a JSON object, got " + n.getNodeType());
        }
        for (Iterator<String> it = n.fieldNames(); it.hasNext(); ) {
            String f = it.next();
            if (field(f) == null) {
                throw SamplerException.invalid(f, "is not a request field; known: " + known());
            }
        }
        // sfd.v1 makes these one-ofs (a gRPC client cannot send both); JSON can: refuse as the validator words it
        if (n.hasNonNull("prompt") && n.hasNonNull("label")) {
            throw SamplerException.invalid("prompt", "give a prompt or a label, not both");
        }
        if (n.hasNonNull("steps") && n.hasNonNull("nfe")) {
            throw SamplerException.invalid("steps", "give steps or nfe, not both");
        }
        GenerateRequest.Builder b = GenerateRequest.newBuilder();
        try {
            PARSER.merge(text, b);
        } catch (InvalidProtocolBufferException | RuntimeException e) {
            throw wrongType(n, e);
        }
        return b.build();
    }

    private static Descriptors.FieldDescriptor field(String jsonName) {
        for (Descriptors.FieldDescriptor f : REQUEST.getFields()) {
            if (f.getJsonName().equals(jsonName) || f.getName().equals(jsonName)) {
                return f;
            }
        }
        return null;
    }

    private static java.util.SortedSet<String> known() {
        java.util.SortedSet<String> out = new java.util.TreeSet<>();
        REQUEST.getFields().forEach(f -> out.add(f.getJsonName()));
        return out;
    }

    /** Names the first field whose value protobuf's mapping refuses, with the type it wants. */
    private static SamplerException wrongType(JsonNode n, Exception e) {
        for (Iterator<Map.Entry<String, JsonNode>> it = n.fields(); it.hasNext(); ) {
            Map.Entry<String, JsonNode> f = it.next();
            try {
                PARSER.merge(write(Map.of(f.getKey(), f.getValue())), GenerateRequest.newBuilder());
            } catch (InvalidProtocolBufferException | RuntimeException one) {
                Descriptors.FieldDescriptor d = field(f.getKey());
                return SamplerException.invalid(f.getKey(), "must be " + wants(d) + ", got " + f.getValue()
                        + " (" + one.getMessage() + ")");
            }
        }
        return SamplerException.invalid("body", "cannot be read as an sfd.v1 GenerateRequest: " + e.getMessage());
    }

    private static String wants(Descriptors.FieldDescriptor d) {
        String one = switch (d.getJavaType()) {
            case INT, LONG -> "an integer" + (d.getType() == Descriptors.FieldDescriptor.Type.UINT64
                    ? " in 0..18446744073709551615 (a number, or a string for more than 2^53)" : "");
            case FLOAT, DOUBLE -> "a number";
            case STRING -> "a string";
            case BOOLEAN -> "true or false";
            case ENUM -> "one of " + d.getEnumType().getValues().stream().map(Descriptors.EnumValueDescriptor::getName)
                    .toList();
            default -> "a " + d.getJavaType().name().toLowerCase(java.util.Locale.ROOT);
        };
        return d.isRepeated() ? "an array of which each is " + one : one;
    }

    /** The sfd.v1 response as JSON, by protobuf's own mapping (PNG bytes base64, 64-bit integers as strings). */
    static String response(GenerateResponse r) {
        return print(r);
    }

    static String print(com.google.protobuf.MessageOrBuilder m) {
        try {
            return PRINTER.print(m);
        } catch (InvalidProtocolBufferException e) {
            throw new IllegalStateException("cannot print " + m.getClass().getSimpleName() + " as JSON: " + e.getMessage(),
                    e);
        }
    }

    /** Teacher samples as sfd.v1 Sample messages in JSON, the same form as the student's. */
    static List<JsonNode> samples(FloatTensor all, long[] seeds, boolean png) {
        List<JsonNode> out = new ArrayList<>();
        int per = all.sampleSize();
        long[] shape = Arrays.copyOfRange(all.shape(), 1, all.shape().length);
        for (int i = 0; i < seeds.length; i++) {
            Sample.Builder s = Sample.newBuilder().setIndex(i).setSeed(seeds[i]);
            if (png) {
                s.setPng(com.google.protobuf.ByteString.copyFrom(PngImages.toPngBytes(PngImages.toImage(all.data(),
                        i * per, Math.toIntExact(shape[0]), Math.toIntExact(shape[1]), Math.toIntExact(shape[2])))));
            } else {
                dev.sfd.api.v1.Tensor.Builder t = dev.sfd.api.v1.Tensor.newBuilder();
                for (long d : shape) {
                    t.addShape(d);
                }
                for (int k = i * per; k < (i + 1) * per; k++) {
                    t.addValues(all.data()[k]);
                }
                s.setTensor(t);
            }
            try {
                out.add(JSON.readTree(print(s)));
            } catch (Exception e) {
                throw new IllegalStateException("cannot re-read a sample's JSON: " + e.getMessage(), e);
            }
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
            boolean text = c.takesText() && runtime.live().text().isPresent();
            m.put("image", text || RequestValidator.isImage(meta.sampleShape()));
            m.put("textPrompts", text);
            if (text) {
                TextPipeline t = runtime.live().text().get();
                m.put("pipeline", t.id());
                m.put("pipelineSha256", t.sha256());
                m.put("maxPromptTokens", t.maxTokens());
                m.put("imageShape", Arrays.stream(t.imageShape()).boxed().toList());
            }
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
