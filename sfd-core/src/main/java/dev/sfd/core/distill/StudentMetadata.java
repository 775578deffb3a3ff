package dev.sfd.core.distill;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.sfd.core.onnx.OnnxModel;
import dev.sfd.core.teachers.TeacherMetadata;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Collectors;

/**
 * The metadata of a student checkpoint (ONNX metadata_props): everything needed to sample with the
 * file alone. Step counts are student steps N (intervals of Γ(N)); the sampler spends
 * {@link #nfe(int)} = N − 1 network calls with AFS, N without. Timestamps are stored per N,
 * descending (t_N = t_max first, t_0 = t_min last), exactly as used in training.
 *
 * @param teacherId        teacher name
 * @param teacherSha256    hex SHA-256 of the teacher's ONNX file
 * @param dataset          data set of the teacher
 * @param sampleShape      shape of one sample
 * @param classes          condition classes C (labels 0..C−1, −1 = ∅)
 * @param schedule         the schedule family and range Γ(N) came from (for untrained N)
 * @param timestamps       N → Γ(N) descending, for every trained N
 * @param stepEmbedding    whether the student has the {@code steps} input (false: fixed-N student)
 * @param afs              whether sampling starts with the analytical first step
 * @param trainingGuidance ω used in training (1: conditional branch only)
 * @param teacherSolver    teacher solver of the trajectories
 * @param teacherK         teacher sub-steps per student step
 * @param optimizer        optimiser settings (JSON)
 * @param trajectories     teacher trajectories seen in training
 * @param seed             run seed
 * @param codeVersion      version of the code that trained it
 * @param createdAt        ISO-8601 instant
 */
public record StudentMetadata(String teacherId, String teacherSha256, String dataset, long[] sampleShape, int classes,
        ScheduleSpec schedule, Map<Integer, double[]> timestamps, boolean stepEmbedding, boolean afs,
        double trainingGuidance, String teacherSolver, int teacherK, String optimizer, long trajectories, long seed,
        String codeVersion, String createdAt) {

    public static final String CODE_VERSION = "sfd-core 0.1.0 distill v1";
    public static final String KIND = "sfd.kind";
    public static final String KIND_STUDENT = "student";
    public static final String P = "sfd.student.";
    public static final String TEACHER = P + "teacher";
    public static final String TEACHER_SHA256 = P + "teacher_sha256";
    public static final String SCHEDULE = P + "schedule";
    public static final String TIMESTAMPS = P + "timestamps";
    public static final String STEP_COUNTS = P + "step_counts";
    public static final String NFE = P + "nfe";
    public static final String STEP_MEANING = P + "step_meaning";
    public static final String STEP_EMBEDDING = P + "step_embedding";
    public static final String STEP_INPUT = P + "step_input";
    public static final String AFS = P + "afs";
    public static final String GUIDANCE = P + "training_guidance";
    public static final String TEACHER_SOLVER = P + "teacher_solver";
    public static final String TEACHER_K = P + "teacher_k";
    public static final String OPTIMIZER = P + "optimizer";
    public static final String TRAJECTORIES = P + "trajectories";
    public static final String SEED = P + "seed";
    public static final String STUDENT_CODE_VERSION = P + "code_version";
    public static final String CREATED_AT = P + "created_at";

    private static final ObjectMapper JSON = new ObjectMapper();

    public StudentMetadata {
        sampleShape = sampleShape.clone();
        TreeMap<Integer, double[]> copy = new TreeMap<>();
        timestamps.forEach((n, t) -> copy.put(n, t.clone()));
        timestamps = java.util.Collections.unmodifiableMap(copy);
        if (timestamps.isEmpty()) {
            throw new IllegalArgumentException("student metadata needs timestamps for at least one N");
        }
        timestamps.forEach((n, t) -> {
            if (t.length != n + 1) {
                throw new IllegalArgumentException("timestamps for N = " + n + " have " + t.length + " entries, need "
                        + (n + 1));
            }
        });
    }

    /** The trained step counts N, ascending. */
    public List<Integer> stepCounts() {
        return List.copyOf(timestamps.keySet());
    }

    /** Network evaluations of one sample with N steps: N − 1 with AFS, N without. */
    public int nfe(int steps) {
        return afs ? steps - 1 : steps;
    }

    /** Steps N that spend {@code nfe} network evaluations. */
    public int stepsForNfe(int nfe) {
        return SfdConfig.stepsForNfe(nfe, afs);
    }

    /** Γ(N) descending as trained, or null for an untrained N. */
    public double[] trainedTimestamps(int steps) {
        double[] t = timestamps.get(steps);
        return t == null ? null : t.clone();
    }

    @Override
    public long[] sampleShape() {
        return sampleShape.clone();
    }

    /** The metadata entries (merged into the student ONNX file). */
    public Map<String, String> toMap() {
        Map<String, String> m = new LinkedHashMap<>();
        m.put(KIND, KIND_STUDENT);
        m.put(TeacherMetadata.DATASET, dataset);
        m.put(TeacherMetadata.SAMPLE_SHAPE, TeacherInfo.shapeString(sampleShape));
        m.put(TeacherMetadata.CLASSES, Integer.toString(classes));
        m.put(TeacherMetadata.T_MIN, Double.toString(schedule.tMin()));
        m.put(TeacherMetadata.T_MAX, Double.toString(schedule.tMax()));
        m.put(TEACHER, teacherId);
        m.put(TEACHER_SHA256, teacherSha256);
        Map<String, Object> s = new LinkedHashMap<>();
        s.put("kind", schedule.kind());
        s.put("t_min", schedule.tMin());
        s.put("t_max", schedule.tMax());
        s.put("rho", schedule.rho());
        m.put(SCHEDULE, json(s));
        Map<String, double[]> ts = new LinkedHashMap<>();
        timestamps.forEach((n, t) -> ts.put(Integer.toString(n), t));
        m.put(TIMESTAMPS, json(ts));
        m.put(STEP_COUNTS, join(stepCounts()));
        m.put(NFE, join(stepCounts().stream().map(this::nfe).toList()));
        m.put(STEP_MEANING, "step_counts are student steps N (Γ(N) has N+1 timestamps, t_N=t_max first); "
                + "NFE = N-1 with AFS, N without; the input 'steps' takes N");
        m.put(STEP_EMBEDDING, Boolean.toString(stepEmbedding));
        m.put(STEP_INPUT, stepEmbedding ? StepCountEmbedding.INPUT : "");
        m.put(AFS, Boolean.toString(afs));
        m.put(GUIDANCE, Double.toString(trainingGuidance));
        m.put(TEACHER_SOLVER, teacherSolver);
        m.put(TEACHER_K, Integer.toString(teacherK));
        m.put(OPTIMIZER, optimizer);
        m.put(TRAJECTORIES, Long.toString(trajectories));
        m.put(SEED, Long.toString(seed));
        m.put(STUDENT_CODE_VERSION, codeVersion);
        m.put(CREATED_AT, createdAt);
        return m;
    }

    /** Reads the metadata of a student model; throws naming the missing or bad key. */
    public static StudentMetadata of(OnnxModel model) {
        return fromMap(model.name(), model.metadata());
    }

    public static StudentMetadata fromMap(String where, Map<String, String> m) {
        if (!KIND_STUDENT.equals(m.get(KIND))) {
            throw new IllegalArgumentException("'" + where + "' is not an SFD student: " + KIND + " = " + m.get(KIND)
                    + " (expected " + KIND_STUDENT + ")");
        }
        try {
            Map<String, Object> s = JSON.readValue(need(where, m, SCHEDULE), new TypeReference<>() { });
            ScheduleSpec schedule = new ScheduleSpec((String) s.get("kind"), ((Number) s.get("t_min")).doubleValue(),
                    ((Number) s.get("t_max")).doubleValue(), ((Number) s.get("rho")).doubleValue());
            Map<String, double[]> ts = JSON.readValue(need(where, m, TIMESTAMPS), new TypeReference<>() { });
            Map<Integer, double[]> timestamps = new TreeMap<>();
            ts.forEach((n, t) -> timestamps.put(Integer.parseInt(n), t));
            return new StudentMetadata(need(where, m, TEACHER), need(where, m, TEACHER_SHA256),
                    need(where, m, TeacherMetadata.DATASET), TeacherInfo.parseShape(need(where, m, TeacherMetadata.SAMPLE_SHAPE)),
                    Integer.parseInt(need(where, m, TeacherMetadata.CLASSES)), schedule, timestamps,
                    Boolean.parseBoolean(need(where, m, STEP_EMBEDDING)), Boolean.parseBoolean(need(where, m, AFS)),
                    Double.parseDouble(need(where, m, GUIDANCE)), need(where, m, TEACHER_SOLVER),
                    Integer.parseInt(need(where, m, TEACHER_K)), need(where, m, OPTIMIZER),
                    Long.parseLong(need(where, m, TRAJECTORIES)), Long.parseLong(need(where, m, SEED)),
                    need(where, m, STUDENT_CODE_VERSION), need(where, m, CREATED_AT));
        } catch (JsonProcessingException | RuntimeException e) {
            if (e instanceof IllegalArgumentException iae && iae.getMessage().startsWith("student '")) {
                throw iae;
            }
            throw new IllegalArgumentException("student '" + where + "' has bad metadata: " + e.getMessage(), e);
        }
    }

    private static String need(String where, Map<String, String> m, String key) {
        String v = m.get(key);
        if (v == null) {
            throw new IllegalArgumentException("student '" + where + "' lacks metadata key " + key);
        }
        return v;
    }

    static String json(Object o) {
        try {
            return JSON.writeValueAsString(o);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("cannot write JSON: " + e.getMessage(), e);
        }
    }

    private static String join(List<Integer> v) {
        return v.stream().map(String::valueOf).collect(Collectors.joining(","));
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof StudentMetadata s && toMap().equals(s.toMap());
    }

    @Override
    public int hashCode() {
        return toMap().hashCode();
    }

    @Override
    public String toString() {
        return "StudentMetadata" + toMap().entrySet().stream().map(e -> e.getKey() + "=" + e.getValue())
                .collect(Collectors.joining(", ", "{", "}")) + " timestamps " + timestamps.entrySet().stream()
                .map(e -> e.getKey() + ":" + Arrays.toString(e.getValue())).collect(Collectors.joining(" "));
    }
}
