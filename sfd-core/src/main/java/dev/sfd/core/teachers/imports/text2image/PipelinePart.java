package dev.sfd.core.teachers.imports.text2image;

import ai.onnx.proto.OnnxMl.ModelProto;
import ai.onnx.proto.OnnxMl.StringStringEntryProto;
import ai.onnx.proto.OnnxMl.TensorProto;
import ai.onnx.proto.OnnxMl.ValueInfoProto;
import dev.sfd.core.autodiff.GradientCoverage;
import dev.sfd.core.onnx.OrtSessions;
import dev.sfd.core.onnx.SessionConfig;
import dev.sfd.core.teachers.imports.ImportException;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

/**
 * One ONNX part of a pipeline ({@code unet/model.onnx} …) read without loading its external data: its
 * inputs and outputs, the external data files it names (resolved beside the model, as ONNX Runtime
 * resolves them), and a sha256 over the model file followed by each data file in name order.
 * Sessions must be created from {@link #model()} (a path), never from bytes, so ORT finds the data.
 *
 * <p>A {@code trained} part (the UNet, which is distilled) has every floating-point initializer
 * trainable, so {@link #gradientGaps()} lists every op between them and the output that the
 * reverse-mode pass cannot differentiate ({@link GradientCoverage}). A frozen part (text encoder,
 * VAE) only runs forward in ONNX Runtime and has no gradient gaps; for it {@link #sessionError} (whether
 * ORT can open the part, asked of every part) is the whole check.
 */
public record PipelinePart(String name, Path model, List<Path> externalData, String sha256,
        Map<String, ValueInfoProto> inputs, List<String> outputs, boolean trained,
        List<GradientCoverage.Gap> gradientGaps, int opset) {

    /** Reads {@code model}; for a {@code trained} part also finds its gradient gaps. */
    public static PipelinePart read(String name, Path model, boolean trained) {
        if (!Files.isRegularFile(model)) {
            throw new ImportException(null, "pipeline part " + name + ": " + model + " does not exist; export the "
                    + "pipeline with optimum (optimum-cli export onnx) or diffusers' convert_stable_diffusion_checkpoint_to_onnx");
        }
        ModelProto proto;
        try (InputStream in = Files.newInputStream(model)) {
            proto = ModelProto.parseFrom(in);
        } catch (IOException e) {
            throw new ImportException(null, "pipeline part " + name + ": " + model + " is not an ONNX model: "
                    + e.getMessage());
        }
        Set<String> locations = new TreeSet<>();
        for (TensorProto t : proto.getGraph().getInitializerList()) {
            if (t.getDataLocation() == TensorProto.DataLocation.EXTERNAL) {
                for (StringStringEntryProto e : t.getExternalDataList()) {
                    if (e.getKey().equals("location")) {
                        locations.add(e.getValue());
                    }
                }
            }
        }
        Path dir = model.toAbsolutePath().getParent();
        List<Path> data = new ArrayList<>();
        for (String loc : locations) {
            Path p = dir.resolve(loc).normalize();
            if (!p.startsWith(dir) || !Files.isRegularFile(p)) {
                throw new ImportException(null, "pipeline part " + name + ": external data file '" + loc
                        + "' named by " + model + " is " + (p.startsWith(dir) ? "missing" : "outside the model's folder")
                        + "; keep the data files beside model.onnx under the names the model records");
            }
            data.add(p);
        }
        Set<String> inits = new TreeSet<>();
        proto.getGraph().getInitializerList().forEach(t -> inits.add(t.getName()));
        Map<String, ValueInfoProto> inputs = new LinkedHashMap<>();
        proto.getGraph().getInputList().stream().filter(v -> !inits.contains(v.getName()))
                .forEach(v -> inputs.put(v.getName(), v));
        List<String> outputs = proto.getGraph().getOutputList().stream().map(ValueInfoProto::getName).toList();
        int opset = proto.getOpsetImportList().stream().filter(o -> o.getDomain().isEmpty() || o.getDomain().equals("ai.onnx"))
                .mapToInt(o -> (int) o.getVersion()).max().orElse(0);
        List<GradientCoverage.Gap> gaps = trained ? GradientCoverage.gaps(proto) : List.of();
        return new PipelinePart(name, model, List.copyOf(data), sha256(model, data), inputs, outputs, trained,
                gaps, opset);
    }

    /**
     * Null when ONNX Runtime opens this part from its path (external data included) under {@code config},
     * else ORT's reason. That is how a frozen part fails: an op, opset or data file ORT does not accept.
     */
    public String sessionError(SessionConfig config) {
        try (var session = OrtSessions.open(model, config)) {
            return null;
        } catch (RuntimeException | ai.onnxruntime.OrtException e) {
            return e.getMessage();
        }
    }

    /** Rank of input {@code n}, or -1 when it is absent. */
    public int rank(String n) {
        ValueInfoProto v = inputs.get(n);
        return v == null ? -1 : v.getType().getTensorType().getShape().getDimCount();
    }

    /** ONNX element type of input {@code n}, or -1 when it is absent. */
    public int elemType(String n) {
        ValueInfoProto v = inputs.get(n);
        return v == null ? -1 : v.getType().getTensorType().getElemType();
    }

    /** Static size of dimension {@code d} of input {@code n}, or -1 when symbolic. */
    public long dim(String n, int d) {
        var dim = inputs.get(n).getType().getTensorType().getShape().getDim(d);
        return dim.hasDimValue() ? dim.getDimValue() : -1;
    }

    static String sha256(Path model, List<Path> data) {
        try {
            MessageDigest md = MessageDigest.getInstance("SHA-256");
            List<Path> all = new ArrayList<>();
            all.add(model);
            all.addAll(data);
            byte[] buf = new byte[1 << 16];
            for (Path p : all) {
                try (InputStream in = Files.newInputStream(p)) {
                    for (int r; (r = in.read(buf)) > 0; ) {
                        md.update(buf, 0, r);
                    }
                }
            }
            return HexFormat.of().formatHex(md.digest());
        } catch (IOException | NoSuchAlgorithmException e) {
            throw new ImportException(null, "cannot hash " + model + ": " + e.getMessage());
        }
    }
}
