package dev.sfd.core.teachers;

import dev.sfd.core.diffusion.onnx.OnnxNoiseModel;
import dev.sfd.core.onnx.OnnxModel;
import dev.sfd.core.onnx.SessionConfig;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * The teachers committed with the project, {@code models/teachers/<dataset>.onnx} with a
 * {@code .sha256} companion. The {@code models} directory is {@code SFD_MODELS_DIR} (system
 * property or environment variable) when set, otherwise the first {@code models} directory
 * holding {@code teachers/} found walking up from the working directory (the repository root).
 * Loading verifies the checksum and the {@link TeacherContract}.
 */
public final class BuiltinTeachers {

    /** System property and environment variable naming the models directory. */
    public static final String MODELS_DIR = "SFD_MODELS_DIR";

    private BuiltinTeachers() {
    }

    /** The models directory (holding {@code teachers/} and {@code classifiers/}). */
    public static Path modelsDir() {
        String configured = System.getProperty(MODELS_DIR, System.getenv(MODELS_DIR));
        if (configured != null && !configured.isBlank()) {
            Path dir = Path.of(configured);
            if (!Files.isDirectory(dir)) {
                throw new IllegalStateException(MODELS_DIR + " is '" + configured + "', which is not a directory");
            }
            return dir;
        }
        Path start = Path.of("").toAbsolutePath();
        for (Path d = start; d != null; d = d.getParent()) {
            if (Files.isDirectory(d.resolve("models").resolve("teachers"))) {
                return d.resolve("models");
            }
        }
        throw new IllegalStateException("cannot find the models directory: no 'models/teachers' in " + start
                + " or any parent; run from inside the repository or set " + MODELS_DIR);
    }

    /** The committed file of teacher {@code dataset} (not checked). */
    public static Path file(String dataset) {
        if (!TeacherDatasets.NAMES.contains(dataset)) {
            throw new IllegalArgumentException("no built-in teacher '" + dataset + "', expected one of " + TeacherDatasets.NAMES);
        }
        return modelsDir().resolve("teachers").resolve(dataset + ".onnx");
    }

    /** The teacher of {@code dataset}, checksum- and contract-verified. */
    public static OnnxModel load(String dataset) {
        return loadVerified(file(dataset));
    }

    /** Any teacher file with a {@code .sha256} companion, checksum- and contract-verified. */
    public static OnnxModel loadVerified(Path file) {
        if (!Files.isRegularFile(file)) {
            throw new IllegalStateException("teacher file " + file + " does not exist (train it with 'sfd teacher train')");
        }
        byte[] bytes = Checksums.readVerified(file);
        return TeacherContract.requireValid(file.toString(), OnnxModel.parse(file.toString(), bytes));
    }

    /** The teacher of {@code dataset} as a noise model (verified first). */
    public static OnnxNoiseModel open(String dataset, SessionConfig session) {
        return open(file(dataset), session);
    }

    /** A verified teacher file as a noise model. */
    public static OnnxNoiseModel open(Path file, SessionConfig session) {
        OnnxModel model = loadVerified(file);
        return OnnxNoiseModel.open(file.getFileName().toString(), model.toBytes(), session,
                OnnxNoiseModel.Names.defaults());
    }
}
