package dev.sfd.core.tensor;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/** {@link FloatTensor#concat}: splitting a batch anywhere and joining the parts gives it back. */
class FloatTensorConcatTest {

    @Test
    void joiningTheRowsOfAnySplitGivesTheBatchBack() {
        SplittableRandom random = new SplittableRandom(31);
        for (int trial = 0; trial < 50; trial++) {
            int rows = 1 + random.nextInt(12);
            long[] shape = {rows, 1 + random.nextInt(3), 1 + random.nextInt(4)};
            int per = (int) (shape[1] * shape[2]);
            float[] data = new float[rows * per];
            for (int i = 0; i < data.length; i++) {
                data[i] = (float) random.nextGaussian();
            }
            List<FloatTensor> parts = new ArrayList<>();
            for (int at = 0; at < rows; ) {
                int k = 1 + random.nextInt(rows - at);
                long[] s = shape.clone();
                s[0] = k;
                parts.add(new FloatTensor(s, Arrays.copyOfRange(data, at * per, (at + k) * per)));
                at += k;
            }
            FloatTensor joined = FloatTensor.concat(parts);
            assertArrayEquals(shape, joined.shape());
            assertArrayEquals(data, joined.data());
        }
    }

    @Test
    void partsOfAnotherSampleShapeOrNoPartsAreRefused() {
        FloatTensor a = new FloatTensor(new long[] {1, 4}, new float[4]);
        FloatTensor b = new FloatTensor(new long[] {1, 3}, new float[3]);
        var e = assertThrows(IllegalArgumentException.class, () -> FloatTensor.concat(List.of(a, b)));
        assertTrue(e.getMessage().contains("same sample shape"), e.getMessage());
        assertThrows(IllegalArgumentException.class, () -> FloatTensor.concat(List.of()));
    }
}
