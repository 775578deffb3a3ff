package dev.sfd.core.distill;

import dev.sfd.core.onnx.OnnxModel;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * A student checkpoint: one ONNX file whose metadata ({@link StudentMetadata}) says how to sample
 * with it. The teacher's own provenance keys are kept under {@code sfd.teacher.*} (renamed by
 * {@link StudentFromTeacher}) so they are not mistaken for the student's.
 *
 * @param model    the student ONNX model
 * @param metadata its parsed metadata
 * @param sha256   hex SHA-256 of the file's bytes
 */
public record StudentCheckpoint(OnnxModel model, StudentMetadata metadata, String sha256) {

    /** {@code model} with the student metadata written (added to, or replacing, its entries). */
    public static OnnxModel withMetadata(OnnxModel model, StudentMetadata metadata) {
        return model.withMetadata(metadata.toMap());
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
