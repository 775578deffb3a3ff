package dev.sfd.core.teachers;

/** Keys of the teacher ONNX metadata contract (ONNX metadata_props), see {@link TeacherContract}. */
public final class TeacherMetadata {

    public static final String KIND = "sfd.kind";
    public static final String KIND_TEACHER = "teacher";
    public static final String DATASET = "sfd.dataset";
    public static final String SAMPLE_SHAPE = "sfd.sample_shape";
    public static final String T_MIN = "sfd.t_min";
    public static final String T_MAX = "sfd.t_max";
    public static final String CLASSES = "sfd.cond.classes";
    /** Shape of one sample's float condition embedding ("L,D"; -1 = symbolic); absent for label/no conditions. */
    public static final String COND_EMBEDDING = "sfd.cond.embedding";
    public static final String TIME_EMBEDDING = "sfd.time_embedding";
    public static final String TIME_EMBEDDING_DIM = "sfd.time_embedding.dim";
    public static final String RECIPE = "sfd.recipe";
    public static final String CODE_VERSION = "sfd.code_version";
    public static final String SIGMA_DATA = "sfd.sigma_data";
    /** Comma-separated initializers that are constants of an exported graph, not weights: never trained. */
    public static final String FROZEN = "sfd.frozen";
    /** {@link #TIME_EMBEDDING} value of a teacher without one (students are fixed-N). */
    public static final String NONE = "none";

    /** Value of {@link #CODE_VERSION} written by this code. */
    public static final String CURRENT_CODE_VERSION = "sfd-core 0.1.0 teachers v1";

    /** Graph input and output names of the contract. */
    public static final String X = "x";
    public static final String T = "t";
    public static final String COND = "cond";
    public static final String EPS = "eps";

    /** The graph value the teacher builders name the time embedding. */
    public static final String TIME_EMBEDDING_VALUE = "time_embedding";

    private TeacherMetadata() {
    }
}
