package dev.sfd.core.distill;

import ai.onnx.proto.OnnxMl.ModelProto;
import ai.onnx.proto.OnnxMl.StringStringEntryProto;
import dev.sfd.core.onnx.OnnxModel;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * A student checkpoint: one ONNX file whose metadata ({@link StudentMetadata}) says how to sample
 * with it. The teacher's own provenance keys are kept under {@code sfd.teacher.*} so they are not
 * mistaken for the student's.
 *
 * @param model    the student ONNX model
 * @param metadata its parsed metadata
 * @param sha256   hex SHA-256 of the file's bytes
 */
public record StudentCheckpoint(OnnxModel model, StudentMetadata metadata, String sha256) {

    /** Teacher keys that describe how the teacher was made, moved to {@code sfd.teacher.<rest>}. */
    private static final java.util.List<String> TEACHER_PROVENANCE = java.util.List.of("sfd.recipe",
            "sfd.code_version", "sfd.kind", "sfd.producer", "sfd.exported_at");

    /** {@code model} with the student metadata written (and the teacher's provenance keys renamed). */
    public static OnnxModel withMetadata(OnnxModel model, StudentMetadata metadata) {
        Map<String, String> all = new LinkedHashMap<>();
        model.metadata().forEach((k, v) -> {
            if (TEACHER_PROVENANCE.contains(k) && !model.metadata().containsKey(StudentMetadata.TEACHER)) {
                all.put("sfd.teacher." + k.substring(4), v);
            } else {
                all.put(k, v);
            }
        });
        all.putAll(metadata.toMap());
        ModelProto.Builder b = model.proto().toBuilder().clearMetadataProps();
        all.forEach((k, v) -> b.addMetadataProps(StringStringEntryProto.newBuilder().setKey(k).setValue(v)));
        return new OnnxModel(b.build());
    }

    /** Writes the student to {@code file} (parent folders created) and returns the checkpoint. */
    public static StudentCheckpoint save(OnnxModel student, Path file) {
        StudentMetadata meta = StudentMetadata.of(student);
        byte[] bytes = student.toBytes();
        try {
            if (file.toAbsolutePath().getParent() != null) {
                Files.createDirectories(file.toAbsolutePath().getParent());
            }
            Files.write(file, bytes);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write student checkpoint " + file, e);
        }
        return new StudentCheckpoint(student, meta, TeacherInfo.sha256(bytes));
    }

    /** Loads a student file; throws naming the file if it is not an SFD student. */
    public static StudentCheckpoint load(Path file) {
        byte[] bytes;
        try {
            bytes = Files.readAllBytes(file);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read student checkpoint " + file, e);
        }
        OnnxModel model = OnnxModel.parse(file.toString(), bytes);
        try {
            return new StudentCheckpoint(model, StudentMetadata.of(model), TeacherInfo.sha256(bytes));
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("student checkpoint " + file + ": " + e.getMessage(), e);
        }
    }
}
