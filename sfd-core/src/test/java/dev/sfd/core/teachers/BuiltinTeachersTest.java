package dev.sfd.core.teachers;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.onnx.proto.OnnxMl.ModelProto;
import ai.onnx.proto.OnnxMl.StringStringEntryProto;
import dev.sfd.core.diffusion.Condition;
import dev.sfd.core.diffusion.onnx.OnnxNoiseModel;
import dev.sfd.core.onnx.OnnxModel;
import dev.sfd.core.onnx.SessionConfig;
import dev.sfd.core.tensor.FloatTensor;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** The committed teachers load, match their checksums and satisfy the contract; broken files are refused clearly. */
class BuiltinTeachersTest {

    @TempDir
    Path dir;

    @ParameterizedTest
    @ValueSource(strings = {"mixture2d", "shapes"})
    void committedTeacherLoadsAndSatisfiesTheContract(String dataset) throws Exception {
        Path file = BuiltinTeachers.file(dataset);
        assertTrue(Files.size(file) <= 20L * 1024 * 1024, file + " is larger than 20 MB");
        assertEquals(Checksums.sha256(Files.readAllBytes(file)),
                Files.readString(Checksums.companion(file)).trim());
        OnnxModel model = BuiltinTeachers.load(dataset);
        assertEquals(java.util.List.of(), TeacherContract.problems(model));
        assertEquals(dataset, model.metadata().get(TeacherMetadata.DATASET));
        assertEquals(dataset, TeacherRecipe.fromJson(model.metadata().get(TeacherMetadata.RECIPE)).dataset());
        long[] sample = java.util.Arrays.stream(model.metadata().get(TeacherMetadata.SAMPLE_SHAPE).split(","))
                .mapToLong(Long::parseLong).toArray();
        long[] shape = new long[sample.length + 1];
        shape[0] = 2;
        System.arraycopy(sample, 0, shape, 1, sample.length);
        try (OnnxNoiseModel m = BuiltinTeachers.open(dataset, SessionConfig.cpu(1))) {
            FloatTensor eps = m.epsilon(FloatTensor.zeros(shape), new double[] {1.0, 0.5}, Condition.labels(0, -1));
            assertEquals(java.util.Arrays.toString(shape), eps.shapeString());
            eps.requireFinite("teacher eps");
        }
    }

    @Test
    void flippedByteIsRefusedByTheChecksum() throws Exception {
        Path copy = copyOfMixtureTeacher();
        byte[] bytes = Files.readAllBytes(copy);
        bytes[bytes.length / 2] ^= 0x01;
        Files.write(copy, bytes);
        IllegalStateException e = assertThrows(IllegalStateException.class, () -> BuiltinTeachers.loadVerified(copy));
        assertTrue(e.getMessage().contains("checksum mismatch") && e.getMessage().contains(copy.toString()),
                e.getMessage());
    }

    @Test
    void missingChecksumFileIsRefused() throws Exception {
        Path copy = copyOfMixtureTeacher();
        Files.delete(Checksums.companion(copy));
        IllegalStateException e = assertThrows(IllegalStateException.class, () -> BuiltinTeachers.loadVerified(copy));
        assertTrue(e.getMessage().contains("checksum file") && e.getMessage().contains("missing"), e.getMessage());
    }

    @Test
    void missingTimeEmbeddingMetadataIsRefused() throws Exception {
        ModelProto proto = BuiltinTeachers.load("mixture2d").proto();
        ModelProto.Builder b = proto.toBuilder().clearMetadataProps();
        for (StringStringEntryProto e : proto.getMetadataPropsList()) {
            if (!e.getKey().equals(TeacherMetadata.TIME_EMBEDDING)) {
                b.addMetadataProps(e);
            }
        }
        Path file = dir.resolve("no-temb.onnx");
        Checksums.writeWithChecksum(file, b.build().toByteArray());
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> BuiltinTeachers.loadVerified(file));
        assertTrue(e.getMessage().contains("metadata sfd.time_embedding is missing"), e.getMessage());
    }

    @Test
    void timeEmbeddingNamingNoValueIsRefused() {
        OnnxModel m = BuiltinTeachers.load("mixture2d")
                .withMetadata(java.util.Map.of(TeacherMetadata.TIME_EMBEDDING, "no_such_value"));
        assertTrue(TeacherContract.problems(m).stream().anyMatch(p -> p.contains("'no_such_value'")),
                TeacherContract.problems(m).toString());
    }

    @Test
    void wrongInputNamesAreRefused() throws Exception {
        ModelProto proto = BuiltinTeachers.load("mixture2d").proto();
        ModelProto.Builder b = proto.toBuilder();
        b.getGraphBuilder().setInput(0, proto.getGraph().getInput(0).toBuilder().setName("sample"));
        Path file = dir.resolve("renamed.onnx");
        Checksums.writeWithChecksum(file, b.build().toByteArray());
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> BuiltinTeachers.loadVerified(file));
        assertTrue(e.getMessage().contains("inputs are [sample, t, cond], expected [x, t, cond]"), e.getMessage());
    }

    @Test
    void unknownTeacherNameIsRefused() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> BuiltinTeachers.file("cifar"));
        assertTrue(e.getMessage().contains("mixture2d"), e.getMessage());
    }

    private Path copyOfMixtureTeacher() throws Exception {
        Path src = BuiltinTeachers.file("mixture2d");
        Path copy = dir.resolve("mixture2d.onnx");
        Files.copy(src, copy);
        Files.copy(Checksums.companion(src), Checksums.companion(copy));
        return copy;
    }
}
