package dev.sfd.pipeline;

import dev.sfd.core.diffusion.NoiseModel;
import dev.sfd.core.diffusion.onnx.OnnxNoiseModel;
import dev.sfd.core.distill.TeacherInfo;
import dev.sfd.core.onnx.OnnxModel;
import dev.sfd.core.onnx.SessionConfig;
import dev.sfd.core.teachers.BuiltinTeachers;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/**
 * A teacher named on the command line: a built-in data set name ("mixture2d", "shapes"), loaded
 * and verified by {@link BuiltinTeachers}, or a path to any ONNX file following the teacher contract.
 *
 * @param id    the name the student records as its teacher
 * @param model the ONNX model
 * @param bytes its bytes (hashed into the student's metadata)
 */
public record TeacherSource(String id, OnnxModel model, byte[] bytes) {

    public static final List<String> BUILTIN = List.of("mixture2d", "shapes");

    public static TeacherSource resolve(String spec) {
        Path file;
        String id;
        if (BUILTIN.contains(spec)) {
            file = BuiltinTeachers.file(spec);
            BuiltinTeachers.loadVerified(file); // checksum and contract, with clear errors
            id = spec;
        } else if (Files.isRegularFile(Path.of(spec))) {
            file = Path.of(spec);
            id = file.getFileName().toString();
        } else {
            throw new IllegalArgumentException("teacher '" + spec + "' is neither a built-in teacher " + BUILTIN
                    + " nor an existing ONNX file" + (PipelineTeacher.applies(spec) ? "; it is a text-to-image pipeline: "
                    + "open it with PipelineTeacher" : " nor a text-to-image pipeline folder (model_index.json) or its "
                    + ".teacher.json"));
        }
        try {
            byte[] bytes = Files.readAllBytes(file);
            return new TeacherSource(id, OnnxModel.parse(file.toString(), bytes), bytes);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read teacher " + file, e);
        }
    }

    public TeacherInfo info() {
        return TeacherInfo.of(id, model, bytes);
    }

    /** A CPU session with {@code threads} intra-op threads. */
    public NoiseModel open(int threads) {
        return open(SessionConfig.cpu(threads));
    }

    /** A session on the execution provider {@code session} names (CUDA requested but unavailable throws). */
    public NoiseModel open(SessionConfig session) {
        return OnnxNoiseModel.open(id, bytes, session, OnnxNoiseModel.Names.defaults());
    }
}
