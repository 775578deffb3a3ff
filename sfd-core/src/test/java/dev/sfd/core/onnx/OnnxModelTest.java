package dev.sfd.core.onnx;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.onnx.proto.OnnxMl.TensorProto.DataType;
import dev.sfd.core.onnx.nn.Init;
import dev.sfd.core.onnx.nn.Linear;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Loading, inspecting and editing ONNX models; builder output passes ONNX's checker. */
class OnnxModelTest {

    private static OnnxModel tiny() {
        GraphBuilder g = GraphBuilder.create("tiny");
        String x = g.input("x", -1, 3);
        g.outputAs(g.silu(new Linear(g, "fc", 3, 2, new Init(0)).apply(x)), "y");
        g.metadata("origin", "test");
        return new OnnxModel(g.build());
    }

    @Test
    void saveLoadInspect(@TempDir Path dir) {
        OnnxModel m = tiny();
        OnnxCheck.check(m.proto());
        m.save(dir.resolve("m.onnx"));
        OnnxModel loaded = OnnxModel.load(dir.resolve("m.onnx"));
        assertEquals(List.of("x"), loaded.inputNames());
        assertEquals(List.of("y"), loaded.outputNames());
        assertEquals(List.of("fc.weight", "fc.bias"), List.copyOf(loaded.parameters().keySet()));
        assertEquals(8, loaded.parameterCount());
        assertEquals("test", loaded.metadata().get("origin"));
        assertEquals(GraphBuilder.OPSET, loaded.proto().getOpsetImport(0).getVersion());
    }

    @Test
    void editsReturnNewModels() {
        OnnxModel m = tiny();
        OnnxModel trainable = m.withParametersAsInputs(List.of("fc.weight")).withInput("extra", DataType.FLOAT, "batch");
        assertEquals(List.of("x", "fc.weight", "extra"), trainable.inputNames());
        assertEquals(List.of("fc.bias"), List.copyOf(trainable.parameters().keySet()));
        OnnxCheck.check(trainable.proto());

        OnnxModel changed = m.withParameterValues(Map.of("fc.bias", new float[] {1, 2})).withMetadata(Map.of("k", "v"));
        assertArrayEquals(new float[] {1, 2}, Tensors.toFloats(changed.parameters().get("fc.bias")));
        assertEquals("v", changed.metadata().get("k"));
        assertEquals("test", changed.metadata().get("origin"));
        assertEquals(8, m.parameterCount(), "the original is unchanged");

        var wrongSize = assertThrows(IllegalArgumentException.class,
                () -> m.withParameterValues(Map.of("fc.bias", new float[3])));
        assertTrue(wrongSize.getMessage().contains("fc.bias"), wrongSize.getMessage());
        var unknown = assertThrows(IllegalArgumentException.class,
                () -> m.withParameterValues(Map.of("nope", new float[1])));
        assertTrue(unknown.getMessage().contains("nope"), unknown.getMessage());
    }

    @Test
    void duplicateNamesAreRejected() {
        GraphBuilder g = GraphBuilder.create("dup");
        g.input("x", 2);
        var e = assertThrows(IllegalArgumentException.class, () -> g.input("x", 2));
        assertTrue(e.getMessage().contains("'x'"));
    }
}
