package dev.sfd.core.distill;

import dev.sfd.core.onnx.OnnxModel;
import dev.sfd.core.teachers.TeacherMetadata;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.Map;

/**
 * What distillation needs to know about a teacher, read from its ONNX metadata (the teacher
 * contract: {@code sfd.dataset}, {@code sfd.sample_shape}, {@code sfd.t_min}, {@code sfd.t_max},
 * {@code sfd.cond.classes}, {@code sfd.time_embedding}, {@code sfd.time_embedding.dim}).
 * External teachers may lack some keys; the {@code with…} methods supply them.
 *
 * @param id                 teacher name (built-in data set name or file name)
 * @param sha256             hex SHA-256 of the teacher's ONNX bytes
 * @param dataset            data set name ("mixture2d", "shapes", or anything for external teachers)
 * @param sampleShape        shape of one sample, without the batch dimension
 * @param tMin               smallest noise level the teacher was trained on
 * @param tMax               largest noise level
 * @param classes            number of condition classes C (0 = unconditional teacher)
 * @param timeEmbedding      graph value [B, D] where the step-count embedding is added (null = none)
 * @param timeEmbeddingWidth D (0 when unknown: derived from the graph's shapes)
 */
public record TeacherInfo(String id, String sha256, String dataset, long[] sampleShape, double tMin, double tMax,
        int classes, String timeEmbedding, int timeEmbeddingWidth) {

    public TeacherInfo {
        sampleShape = sampleShape == null ? null : sampleShape.clone();
    }

    /** Reads the contract keys of {@code model}; missing keys stay null/0/NaN until supplied. */
    public static TeacherInfo of(String id, OnnxModel model, byte[] bytes) {
        Map<String, String> m = model.metadata();
        String shape = m.get(TeacherMetadata.SAMPLE_SHAPE);
        return new TeacherInfo(id, sha256(bytes), m.getOrDefault(TeacherMetadata.DATASET, "external"),
                shape == null ? null : parseShape(shape), number(m, TeacherMetadata.T_MIN), number(m, TeacherMetadata.T_MAX),
                m.containsKey(TeacherMetadata.CLASSES) ? Integer.parseInt(m.get(TeacherMetadata.CLASSES).trim()) : 0,
                TeacherMetadata.NONE.equals(m.get(TeacherMetadata.TIME_EMBEDDING)) ? null : m.get(TeacherMetadata.TIME_EMBEDDING),
                m.containsKey(TeacherMetadata.TIME_EMBEDDING_DIM)
                        ? Integer.parseInt(m.get(TeacherMetadata.TIME_EMBEDDING_DIM).trim()) : 0);
    }

    /** Throws naming the missing pieces unless the info is complete enough to distil. */
    public TeacherInfo requireComplete() {
        StringBuilder missing = new StringBuilder();
        if (sampleShape == null || sampleShape.length == 0) {
            missing.append(" sample shape (").append(TeacherMetadata.SAMPLE_SHAPE).append(')');
        }
        if (!Double.isFinite(tMin) || !Double.isFinite(tMax)) {
            missing.append(" noise range (").append(TeacherMetadata.T_MIN).append(", ").append(TeacherMetadata.T_MAX).append(')');
        }
        if (missing.length() > 0) {
            throw new IllegalArgumentException("teacher '" + id + "' lacks" + missing
                    + ": add the metadata or pass the values explicitly");
        }
        return this;
    }

    public TeacherInfo withSampleShape(long[] shape) {
        return new TeacherInfo(id, sha256, dataset, shape, tMin, tMax, classes, timeEmbedding, timeEmbeddingWidth);
    }

    public TeacherInfo withRange(double tMin, double tMax) {
        return new TeacherInfo(id, sha256, dataset, sampleShape, tMin, tMax, classes, timeEmbedding, timeEmbeddingWidth);
    }

    public TeacherInfo withClasses(int classes) {
        return new TeacherInfo(id, sha256, dataset, sampleShape, tMin, tMax, classes, timeEmbedding, timeEmbeddingWidth);
    }

    /** The injection point of the step-count embedding (null = train a fixed-step-count student). */
    public TeacherInfo withTimeEmbedding(String value, int width) {
        return new TeacherInfo(id, sha256, dataset, sampleShape, tMin, tMax, classes, value, width);
    }

    @Override
    public long[] sampleShape() {
        return sampleShape == null ? null : sampleShape.clone();
    }

    /** "3,16,16" → {3, 16, 16}. */
    public static long[] parseShape(String s) {
        try {
            return Arrays.stream(s.split(",")).map(String::trim).mapToLong(Long::parseLong).toArray();
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("bad sample shape '" + s + "': expected comma-separated sizes like 3,16,16");
        }
    }

    public static String shapeString(long[] shape) {
        return Arrays.stream(shape).mapToObj(Long::toString).reduce((a, b) -> a + "," + b).orElse("");
    }

    public static String sha256(byte[] bytes) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(bytes));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 unavailable", e);
        }
    }

    private static double number(Map<String, String> m, String key) {
        String v = m.get(key);
        return v == null ? Double.NaN : Double.parseDouble(v.trim());
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof TeacherInfo t && id.equals(t.id) && sha256.equals(t.sha256)
                && Arrays.equals(sampleShape, t.sampleShape);
    }

    @Override
    public int hashCode() {
        return id.hashCode() * 31 + sha256.hashCode();
    }
}
