package dev.sfd.core.distill;

import dev.sfd.core.diffusion.Condition;
import dev.sfd.core.diffusion.trajectory.TeacherTrajectory;
import dev.sfd.core.tensor.FloatTensor;
import java.io.BufferedInputStream;
import java.io.BufferedOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.OutputStream;
import java.io.StringReader;
import java.io.StringWriter;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Properties;
import java.util.TreeMap;
import java.util.zip.CRC32C;

/**
 * A file of teacher trajectories (issue 18: trajectories are reusable data, generated once and
 * replayed for any number of epochs and experiments). Big-endian throughout:
 *
 * <pre>
 * magic "SFDS", int version = 1
 * int P, P bytes: a java.util.Properties text (UTF-8) describing the run, see {@link Header}
 * records, one per generated batch:
 *   int N (student steps), int B (trajectories), long teacher NFE of the batch,
 *   long[B] seeds of x_N, long[B] labels (−1 = none), double[N+1] timestamps t_N … t_0,
 *   float[(N+1)·B·D] points x̃_N … x̃_0, each [B, sample shape] row-major (D = elements per sample),
 *   int CRC32C of the record's bytes above
 * int −1 (end marker)
 * </pre>
 *
 * Values are stored as float32 exactly as generated, so training from the file is bit-identical
 * to training on the fly with the same seed and batch.
 */
public final class TrajectoryStore {

    static final byte[] MAGIC = {'S', 'F', 'D', 'S'};
    static final int VERSION = 1;

    private TrajectoryStore() {
    }

    /**
     * What produced the trajectories; the trainer checks it against its own teacher and config.
     *
     * @param teacherId     teacher id
     * @param teacherSha256 sha256 of the teacher ONNX file
     * @param solver        teacher solver
     * @param k             teacher sub-steps per student interval
     * @param carryHistory  multistep history carried across student timestamps
     * @param schedule      Γ(N) family and range
     * @param afs           whether the run that wrote them used AFS (informational: x̃_N is stored)
     * @param stepCounts    the N drawn from
     * @param seed          run seed
     * @param batch         generation batch
     * @param sampleShape   shape of one sample
     */
    public record Header(String teacherId, String teacherSha256, String solver, int k, boolean carryHistory,
            ScheduleSpec schedule, boolean afs, List<Integer> stepCounts, long seed, int batch, long[] sampleShape) {

        /** The header of trajectories generated for {@code config}. */
        public static Header of(TeacherInfo info, SfdConfig config) {
            return new Header(info.id(), info.sha256(), config.solver(), config.k(), config.carryHistory(),
                    config.schedule(), config.afs(), config.stepCounts(), config.seed(), config.batch(),
                    info.sampleShape());
        }

        String text() {
            Properties p = new Properties();
            p.setProperty("teacher.id", teacherId);
            p.setProperty("teacher.sha256", teacherSha256);
            p.setProperty("solver", solver);
            p.setProperty("k", Integer.toString(k));
            p.setProperty("carry_history", Boolean.toString(carryHistory));
            p.setProperty("schedule.kind", schedule.kind());
            p.setProperty("schedule.t_min", Double.toString(schedule.tMin()));
            p.setProperty("schedule.t_max", Double.toString(schedule.tMax()));
            p.setProperty("schedule.rho", Double.toString(schedule.rho()));
            p.setProperty("afs", Boolean.toString(afs));
            p.setProperty("step_counts", String.join(",", stepCounts.stream().map(String::valueOf).toList()));
            p.setProperty("seed", Long.toString(seed));
            p.setProperty("batch", Integer.toString(batch));
            p.setProperty("sample_shape", String.join(",", Arrays.stream(sampleShape).mapToObj(String::valueOf).toList()));
            StringWriter w = new StringWriter();
            try {
                p.store(w, "SFD teacher trajectories");
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
            // no comment lines: Properties.store writes the current date there, and equal headers must be equal bytes
            return w.toString().lines().filter(l -> !l.startsWith("#")).collect(java.util.stream.Collectors.joining("\n", "", "\n"));
        }

        static Header parse(String text, Path file) throws IOException {
            Properties p = new Properties();
            p.load(new StringReader(text));
            try {
                return new Header(p.getProperty("teacher.id"), p.getProperty("teacher.sha256"), p.getProperty("solver"),
                        Integer.parseInt(p.getProperty("k")), Boolean.parseBoolean(p.getProperty("carry_history")),
                        new ScheduleSpec(p.getProperty("schedule.kind"), Double.parseDouble(p.getProperty("schedule.t_min")),
                                Double.parseDouble(p.getProperty("schedule.t_max")),
                                Double.parseDouble(p.getProperty("schedule.rho"))),
                        Boolean.parseBoolean(p.getProperty("afs")),
                        Arrays.stream(p.getProperty("step_counts").split(",")).map(Integer::valueOf).toList(),
                        Long.parseLong(p.getProperty("seed")), Integer.parseInt(p.getProperty("batch")),
                        Arrays.stream(p.getProperty("sample_shape").split(",")).mapToLong(Long::parseLong).toArray());
            } catch (RuntimeException e) {
                throw new IOException("trajectory file " + file + ": its header is incomplete or malformed (" + e
                        + "); rewrite it with 'sfd distill --save-trajectories'", e);
            }
        }

        /**
         * Problems that make these trajectories wrong targets for {@code config} on {@code info}
         * (teacher, solver, K, history, schedule); empty when they fit.
         */
        public List<String> mismatches(TeacherInfo info, SfdConfig config) {
            List<String> out = new ArrayList<>();
            if (!teacherSha256.equals(info.sha256())) {
                out.add("teacher sha256 " + teacherSha256 + " (" + teacherId + ") vs " + info.sha256() + " (" + info.id() + ")");
            }
            if (!solver.equals(config.solver()) || k != config.k() || carryHistory != config.carryHistory()) {
                out.add("teacher solver " + solver + " K=" + k + (carryHistory ? " carried" : "") + " vs "
                        + config.solver() + " K=" + config.k() + (config.carryHistory() ? " carried" : ""));
            }
            if (!schedule.equals(config.schedule())) {
                out.add("schedule " + schedule + " vs " + config.schedule());
            }
            if (!Arrays.equals(sampleShape, info.sampleShape())) {
                out.add("sample shape " + Arrays.toString(sampleShape) + " vs " + Arrays.toString(info.sampleShape()));
            }
            return out;
        }
    }

    /** One stored batch: the teacher trajectory and its labels (null = unconditional). */
    public record Batch(TeacherTrajectory trajectory, long[] labels) {
        public int size() {
            return trajectory.seeds().length;
        }
    }

    /** A whole file in memory. */
    public record Contents(Header header, List<Batch> batches) {
        public long trajectories() {
            return batches.stream().mapToLong(Batch::size).sum();
        }

        public long teacherNfe() {
            return batches.stream().mapToLong(b -> b.trajectory().nfe()).sum();
        }

        /** Trajectories per N. */
        public java.util.Map<Integer, Long> countsByN() {
            java.util.Map<Integer, Long> m = new TreeMap<>();
            batches.forEach(b -> m.merge(b.trajectory().steps(), (long) b.size(), Long::sum));
            return m;
        }
    }

    /** Appends batches to a new file; {@link #close} writes the end marker. */
    public static final class Writer implements AutoCloseable {
        private final DataOutputStream out;
        private final Path file;
        private final long[] sampleShape;
        private long written;

        private Writer(Path file, Header header) throws IOException {
            this.file = file;
            this.sampleShape = header.sampleShape().clone();
            Path parent = file.toAbsolutePath().getParent();
            if (parent != null) {
                Files.createDirectories(parent);
            }
            this.out = new DataOutputStream(new BufferedOutputStream(Files.newOutputStream(file), 1 << 20));
            out.write(MAGIC);
            out.writeInt(VERSION);
            byte[] text = header.text().getBytes(StandardCharsets.UTF_8);
            out.writeInt(text.length);
            out.write(text);
        }

        /** Writes one batch; {@code labels} null for an unconditional teacher. */
        public void append(TeacherTrajectory traj, long[] labels) {
            long[] seeds = traj.seeds();
            int b = seeds.length;
            int n = traj.steps();
            int d = Math.toIntExact(elements(sampleShape));
            ByteBuffer buf = ByteBuffer.allocate(4 + 4 + 8 + 16 * b + 8 * (n + 1) + 4 * (n + 1) * b * d);
            buf.putInt(n).putInt(b).putLong(traj.nfe());
            for (long s : seeds) {
                buf.putLong(s);
            }
            for (int i = 0; i < b; i++) {
                buf.putLong(labels == null ? -1 : labels[i]);
            }
            for (double t : traj.timestamps()) {
                buf.putDouble(t);
            }
            for (FloatTensor p : traj.points()) {
                if (p.data().length != b * d) {
                    throw new IllegalArgumentException("trajectory point of shape " + p.shapeString() + " does not fit "
                            + b + " samples of " + Arrays.toString(sampleShape) + " in " + file);
                }
                buf.asFloatBuffer().put(p.data());
                buf.position(buf.position() + 4 * p.data().length);
            }
            CRC32C crc = new CRC32C();
            crc.update(buf.array(), 0, buf.position());
            try {
                out.write(buf.array(), 0, buf.position());
                out.writeInt((int) crc.getValue());
            } catch (IOException e) {
                throw new UncheckedIOException("cannot write trajectory file " + file, e);
            }
            written += b;
        }

        public long trajectoriesWritten() {
            return written;
        }

        @Override
        public void close() {
            try (OutputStream o = out) {
                out.writeInt(-1);
            } catch (IOException e) {
                throw new UncheckedIOException("cannot finish trajectory file " + file, e);
            }
        }
    }

    /** Starts a new file (replacing any file there). */
    public static Writer create(Path file, Header header) {
        try {
            return new Writer(file, header);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot create trajectory file " + file, e);
        }
    }

    /** Reads a whole file, checking magic, version, every record's checksum and the end marker. */
    public static Contents read(Path file) {
        try (DataInputStream in = new DataInputStream(new BufferedInputStream(Files.newInputStream(file), 1 << 20))) {
            byte[] magic = new byte[4];
            in.readFully(magic);
            if (!Arrays.equals(magic, MAGIC)) {
                throw new IOException("not an SFD trajectory file (magic " + Arrays.toString(magic) + ", expected \"SFDS\")");
            }
            int version = in.readInt();
            if (version != VERSION) {
                throw new IOException("trajectory file version " + version + ", this code reads version " + VERSION);
            }
            byte[] text = new byte[in.readInt()];
            in.readFully(text);
            Header header = Header.parse(new String(text, StandardCharsets.UTF_8), file);
            int d = Math.toIntExact(elements(header.sampleShape()));
            long[] itemShape = header.sampleShape();
            List<Batch> batches = new ArrayList<>();
            while (true) {
                int n = in.readInt();
                if (n == -1) {
                    break;
                }
                int b = in.readInt();
                if (n < 1 || b < 1) {
                    throw new IOException("record " + batches.size() + " has N = " + n + ", B = " + b + " (need >= 1)");
                }
                ByteBuffer buf = ByteBuffer.allocate(4 + 4 + 8 + 16 * b + 8 * (n + 1) + 4 * (n + 1) * b * d);
                buf.putInt(n).putInt(b);
                in.readFully(buf.array(), 8, buf.capacity() - 8);
                CRC32C crc = new CRC32C();
                crc.update(buf.array(), 0, buf.capacity());
                int stored = in.readInt();
                if (stored != (int) crc.getValue()) {
                    throw new IOException("record " + batches.size() + " fails its CRC32C check (file damaged)");
                }
                long nfe = buf.getLong(8);
                buf.position(16);
                long[] seeds = new long[b];
                long[] labels = new long[b];
                for (int i = 0; i < b; i++) {
                    seeds[i] = buf.getLong();
                }
                boolean any = false;
                for (int i = 0; i < b; i++) {
                    labels[i] = buf.getLong();
                    any |= labels[i] >= 0;
                }
                double[] t = new double[n + 1];
                for (int i = 0; i <= n; i++) {
                    t[i] = buf.getDouble();
                }
                long[] shape = new long[itemShape.length + 1];
                shape[0] = b;
                System.arraycopy(itemShape, 0, shape, 1, itemShape.length);
                List<FloatTensor> points = new ArrayList<>(n + 1);
                for (int i = 0; i <= n; i++) {
                    float[] data = new float[b * d];
                    buf.asFloatBuffer().get(data);
                    buf.position(buf.position() + 4 * data.length);
                    points.add(new FloatTensor(shape.clone(), data));
                }
                Condition c = any ? Condition.labels(Arrays.stream(labels).mapToInt(l -> (int) l).toArray())
                        : Condition.none();
                batches.add(new Batch(new TeacherTrajectory(seeds, t, points, c, header.solver(), header.k(), nfe),
                        any ? labels : null));
            }
            return new Contents(header, List.copyOf(batches));
        } catch (EOFException e) {
            throw new UncheckedIOException("trajectory file " + file + " is truncated (no end marker); regenerate it", e);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read trajectory file " + file + ": " + e.getMessage(), e);
        }
    }

    static long elements(long[] shape) {
        long d = 1;
        for (long v : shape) {
            d *= v;
        }
        return d;
    }
}
