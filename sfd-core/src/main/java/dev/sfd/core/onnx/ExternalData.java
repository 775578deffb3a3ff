package dev.sfd.core.onnx;

import ai.onnx.proto.OnnxMl.ModelProto;
import ai.onnx.proto.OnnxMl.StringStringEntryProto;
import ai.onnx.proto.OnnxMl.TensorProto;
import com.google.protobuf.ByteString;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.Map;

/**
 * ONNX external data (initializers whose bytes live in files beside the model, as large exports store
 * their weights: {@code data_location = EXTERNAL} with {@code location}, {@code offset}, {@code length}
 * entries) read back into the model, so that the graph can be differentiated, edited and run from memory.
 * A protobuf message cannot pass 2 GB, so this serves models up to that size; larger ones would need
 * external data kept on the way out as well (see docs/bring-your-own-teacher.md, "Memory on paper").
 */
public final class ExternalData {

    private ExternalData() {
    }

    /** Whether any initializer of {@code model} keeps its bytes outside the model file. */
    public static boolean uses(ModelProto model) {
        return model.getGraph().getInitializerList().stream()
                .anyMatch(t -> t.getDataLocation() == TensorProto.DataLocation.EXTERNAL);
    }

    /**
     * {@code model} with every external initializer's bytes read from its file under {@code dir} (the
     * model's folder) into {@code raw_data}; a model without external data is returned as it is.
     */
    public static ModelProto inline(ModelProto model, Path dir) {
        if (!uses(model)) {
            return model;
        }
        ModelProto.Builder b = model.toBuilder();
        long total = 0;
        for (int i = 0; i < b.getGraph().getInitializerCount(); i++) {
            TensorProto t = b.getGraph().getInitializer(i);
            if (t.getDataLocation() != TensorProto.DataLocation.EXTERNAL) {
                continue;
            }
            ByteString bytes = read(t, dir);
            total += bytes.size();
            if (total > Integer.MAX_VALUE - (1 << 20)) {
                throw new IllegalArgumentException("the external data of " + dir + " passes 2 GB: a model that large "
                        + "cannot be held as one ONNX message; distilling it needs external-data checkpoints, which "
                        + "are not built yet");
            }
            b.getGraphBuilder().setInitializer(i, t.toBuilder().clearExternalData()
                    .setDataLocation(TensorProto.DataLocation.DEFAULT).setRawData(bytes).build());
        }
        return b.build();
    }

    private static ByteString read(TensorProto t, Path dir) {
        Map<String, String> e = new java.util.HashMap<>();
        for (StringStringEntryProto kv : t.getExternalDataList()) {
            e.put(kv.getKey(), kv.getValue());
        }
        String location = e.get("location");
        if (location == null) {
            throw new IllegalArgumentException("initializer '" + t.getName() + "' is EXTERNAL but names no location; "
                    + "re-save the model with onnx.save_model(..., save_as_external_data=True)");
        }
        Path file = dir.resolve(location).normalize();
        if (!file.startsWith(dir.normalize())) {
            throw new IllegalArgumentException("initializer '" + t.getName() + "': external data location '" + location
                    + "' is outside the model's folder " + dir + "; keep data files beside the model");
        }
        long offset = Long.parseLong(e.getOrDefault("offset", "0"));
        try (FileChannel ch = FileChannel.open(file, StandardOpenOption.READ)) {
            long length = e.containsKey("length") ? Long.parseLong(e.get("length")) : ch.size() - offset;
            if (offset < 0 || length < 0 || offset + length > ch.size()) {
                throw new IllegalArgumentException("initializer '" + t.getName() + "': bytes " + offset + ".."
                        + (offset + length) + " of " + file + " do not exist (file size " + ch.size()
                        + "); the data file does not belong to this model");
            }
            ByteBuffer buf = ByteBuffer.allocate(Math.toIntExact(length));
            while (buf.hasRemaining()) {
                if (ch.read(buf, offset + buf.position()) < 0) {
                    break;
                }
            }
            buf.flip();
            return ByteString.copyFrom(buf);
        } catch (IOException ex) {
            throw new UncheckedIOException("cannot read external data " + file + " of initializer '" + t.getName() + "'",
                    ex);
        }
    }
}
