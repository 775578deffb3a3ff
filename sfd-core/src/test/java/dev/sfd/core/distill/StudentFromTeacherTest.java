package dev.sfd.core.distill;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.sfd.core.diffusion.Condition;
import dev.sfd.core.diffusion.onnx.OnnxNoiseModel;
import dev.sfd.core.diffusion.trajectory.SeededNoise;
import dev.sfd.core.onnx.OnnxModel;
import dev.sfd.core.onnx.SessionConfig;
import dev.sfd.core.tensor.FloatTensor;
import org.junit.jupiter.api.Test;

/** The student built from a teacher: equal at start, step input wired, errors for bad injection points. */
class StudentFromTeacherTest {

    @Test
    void freshStudentEqualsTeacherForEveryStepCount() {
        OnnxModel teacher = TestTeachers.mixtureNet(5);
        StudentFromTeacher.StudentGraph student = StudentFromTeacher.build(teacher, "time_embedding", 0, 1);
        assertTrue(student.stepEmbedding());
        assertTrue(student.model().inputNames().contains("steps"));
        long[] seeds = new long[64];
        int[] labels = new int[64];
        double[] t = new double[64];
        for (int i = 0; i < 64; i++) {
            seeds[i] = i;
            labels[i] = i % 9 - 1; // includes ∅
            t[i] = 0.002 * Math.pow(40000, i / 63.0);
        }
        FloatTensor x = SeededNoise.gaussian(seeds, new long[] {2}, 3.0);
        Condition c = Condition.labels(labels);
        try (OnnxNoiseModel tm = OnnxNoiseModel.open("teacher", teacher.toBytes(), SessionConfig.cpu(1),
                OnnxNoiseModel.Names.defaults());
                StudentNetwork sn = new StudentNetwork(student.model(), SessionConfig.cpu(1))) {
            FloatTensor expected = tm.epsilon(x, t, c);
            for (int n : new int[] {1, 3, 6, 50}) {
                assertArrayEquals(expected.data(), sn.epsilon(x, t, c, n).data(), 1e-6f, "N = " + n);
            }
        }
    }

    @Test
    void withoutInjectionPointTheStudentIsTheTeacherGraph() {
        OnnxModel teacher = TestTeachers.mixtureNet(5);
        StudentFromTeacher.StudentGraph student = StudentFromTeacher.build(teacher, null, 0, 1);
        assertFalse(student.stepEmbedding());
        assertFalse(student.model().inputNames().contains("steps"));
    }

    @Test
    void unknownInjectionPointIsAClearError() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> StudentFromTeacher.build(TestTeachers.mixtureNet(5), "no_such_value", 0, 1));
        assertTrue(e.getMessage().contains("no_such_value"), e.getMessage());
    }
}
