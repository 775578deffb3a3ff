package dev.sfd.core.teachers.imports.text2image;

import static dev.sfd.core.teachers.imports.text2image.PipelineFixtures.copyTree;
import static dev.sfd.core.teachers.imports.text2image.PipelineFixtures.fixture;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.onnx.proto.OnnxMl.ModelProto;
import ai.onnxruntime.OnnxTensor;
import ai.onnxruntime.OrtEnvironment;
import ai.onnxruntime.OrtSession;
import dev.sfd.core.onnx.ExternalData;
import dev.sfd.core.teachers.imports.ImportException;
import java.nio.FloatBuffer;
import java.nio.LongBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A UNet that keeps its weights in external data (tiny-clip-bpe's model.onnx + model.onnx_data, as large
 * exports do) is read into memory by {@link ExternalData}: the inlined graph run from bytes gives exactly what
 * ONNX Runtime gives running the file from its folder, and the contract teacher (what the student copies) is
 * built from it instead of being refused.
 */
class ExternalDataUnetTest {

    @TempDir
    Path tmp;

    @Test
    void inlinedUnetComputesExactlyWhatTheFileWithItsDataFileComputes() throws Exception {
        Path model = fixture("tiny-clip-bpe").resolve("unet").resolve("model.onnx");
        ModelProto proto = ModelProto.parseFrom(Files.readAllBytes(model));
        assertTrue(ExternalData.uses(proto));
        ModelProto inlined = ExternalData.inline(proto, model.getParent());
        assertFalse(ExternalData.uses(inlined));
        OrtEnvironment env = OrtEnvironment.getEnvironment();
        SplittableRandom r = new SplittableRandom(7);
        float[] x = new float[2 * 4 * 8 * 8];
        float[] c = new float[2 * 12 * 16];
        for (int i = 0; i < x.length; i++) {
            x[i] = (float) r.nextGaussian();
        }
        for (int i = 0; i < c.length; i++) {
            c[i] = (float) r.nextGaussian();
        }
        try (OrtSession fromFile = env.createSession(model.toString(), new OrtSession.SessionOptions());
                OrtSession fromBytes = env.createSession(inlined.toByteArray(), new OrtSession.SessionOptions());
                OnnxTensor xt = OnnxTensor.createTensor(env, FloatBuffer.wrap(x), new long[] {2, 4, 8, 8});
                OnnxTensor tt = OnnxTensor.createTensor(env, LongBuffer.wrap(new long[] {10, 900}), new long[] {2});
                OnnxTensor ct = OnnxTensor.createTensor(env, FloatBuffer.wrap(c), new long[] {2, 12, 16});
                OrtSession.Result a = fromFile.run(Map.of("sample", xt, "timestep", tt, "encoder_hidden_states", ct));
                OrtSession.Result b = fromBytes.run(Map.of("sample", xt, "timestep", tt, "encoder_hidden_states", ct))) {
            float[] ea = ((OnnxTensor) a.get(0)).getFloatBuffer().array();
            float[] eb = ((OnnxTensor) b.get(0)).getFloatBuffer().array();
            assertArrayEquals(ea, eb, 0f);
            assertTrue(java.util.stream.IntStream.range(0, ea.length).anyMatch(i -> ea[i] != 0f), "a non-trivial output");
        }
    }

    @Test
    void theContractTeacherOfAnExternalDataUnetHoldsItsWeights() {
        TextToImageFolder f = TextToImageFolder.read(fixture("tiny-clip-bpe"));
        var contract = TextToImageContract.of(f, new long[] {4, 8, 8}).model();
        assertFalse(ExternalData.uses(contract.proto()), "no initializer left outside the graph");
        long bytes = contract.parameters().values().stream().mapToLong(t -> t.getRawData().size() + 4L * t.getFloatDataCount())
                .sum();
        assertTrue(bytes >= 100_000, "the data file's 109 kB of weights are in the graph: " + bytes + " bytes");
    }

    @Test
    void aTruncatedDataFileIsRefusedNamingTheInitializerAndTheFile() throws Exception {
        Path copy = tmp.resolve("pipe");
        copyTree(fixture("tiny-clip-bpe"), copy);
        Path data = copy.resolve("unet").resolve("model.onnx_data");
        byte[] b = Files.readAllBytes(data);
        Files.write(data, java.util.Arrays.copyOf(b, b.length / 2));
        TextToImageFolder f = TextToImageFolder.read(copy);
        ImportException e = assertThrows(ImportException.class, () -> TextToImageContract.of(f, new long[] {4, 8, 8}));
        assertTrue(e.getMessage().contains("model.onnx_data") && e.getMessage().contains("do not exist"), e.getMessage());
    }
}
