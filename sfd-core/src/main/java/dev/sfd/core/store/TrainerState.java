package dev.sfd.core.store;

import dev.sfd.core.training.AdamState;
import dev.sfd.core.trajectory.RowSet;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.zip.GZIPInputStream;
import java.util.zip.GZIPOutputStream;

/**
 * The trainer's state beside a checkpoint's {@code student.onnx} (object {@value #OBJECT_NAME}):
 * what an exact resume needs besides the weights. Binary, gzip-compressed, big-endian
 * (DataOutputStream): magic "SFDS", format version, then the fields in record order.
 *
 * @param pass           replay pass over the trajectory topic (1-based)
 * @param seen           trajectories trained on (the learning-rate schedule's position)
 * @param optimizerSteps Adam steps taken by the SFD trainer
 * @param firstLoss      mean loss of the first batch (NaN before any)
 * @param lateLoss       per N: {sum, count} of batch losses in the last 10% of the budget
 * @param adam           Adam's step, last learning rate and moments per parameter
 * @param shuffleRng     state of the shuffle buffer's random generator (SplitMix64)
 * @param appliedRanges  the trajectories trained in the current pass, as index ranges per prompt
 *                       ({@link RowSet#toRanges()}): after a resume these are recognised as
 *                       already applied and dropped; the list grows with prompts, not trajectories
 */
public record TrainerState(int pass, long seen, long optimizerSteps, double firstLoss,
                           Map<Integer, double[]> lateLoss, AdamState adam, long shuffleRng,
                           List<String> appliedRanges) {

    public static final String OBJECT_NAME = "trainer-state.bin";
    private static final int MAGIC = 0x53464453; // "SFDS"
    private static final int FORMAT = 2; // 2: applied trajectories as ranges (record contract v2)

    public TrainerState {
        if (pass < 1) {
            throw new IllegalArgumentException("replay pass must be >= 1, got " + pass);
        }
        Map<Integer, double[]> copy = new TreeMap<>();
        lateLoss.forEach((n, acc) -> copy.put(n, acc.clone()));
        lateLoss = copy;
        appliedRanges = List.copyOf(appliedRanges);
    }

    /** Every trajectory id {@code <prompt id>/<index>/<seed>} applied in the current pass (expanded from the ranges). */
    public List<String> appliedTrajectoryIds() {
        return RowSet.fromRanges(appliedRanges).trajectoryIds();
    }

    public byte[] toBytes() {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (DataOutputStream out = new DataOutputStream(new GZIPOutputStream(bytes))) {
            out.writeInt(MAGIC);
            out.writeInt(FORMAT);
            out.writeInt(pass);
            out.writeLong(seen);
            out.writeLong(optimizerSteps);
            out.writeDouble(firstLoss);
            out.writeInt(lateLoss.size());
            for (var e : lateLoss.entrySet()) {
                out.writeInt(e.getKey());
                out.writeDouble(e.getValue()[0]);
                out.writeDouble(e.getValue()[1]);
            }
            out.writeLong(adam.step());
            out.writeDouble(adam.lastLearningRate());
            out.writeInt(adam.m().size());
            for (String name : adam.m().keySet()) {
                out.writeUTF(name);
                writeFloats(out, adam.m().get(name));
                writeFloats(out, adam.v().get(name));
            }
            out.writeLong(shuffleRng);
            out.writeInt(appliedRanges.size());
            for (String id : appliedRanges) {
                out.writeUTF(id);
            }
        } catch (IOException e) {
            throw new IllegalStateException("cannot serialise the trainer state: " + e.getMessage(), e);
        }
        return bytes.toByteArray();
    }

    public static TrainerState fromBytes(byte[] bytes) {
        try (DataInputStream in = new DataInputStream(new GZIPInputStream(new ByteArrayInputStream(bytes)))) {
            int magic = in.readInt();
            if (magic != MAGIC) {
                throw new CorruptCheckpointException(OBJECT_NAME + " starts with " + Integer.toHexString(magic)
                        + ", not the trainer-state magic 53464453 (\"SFDS\")");
            }
            int format = in.readInt();
            if (format != FORMAT) {
                throw new CorruptCheckpointException(OBJECT_NAME + " has format " + format + "; this trainer reads "
                        + FORMAT + " only: resume with the trainer version that wrote it");
            }
            int pass = in.readInt();
            long seen = in.readLong();
            long steps = in.readLong();
            double firstLoss = in.readDouble();
            Map<Integer, double[]> late = new TreeMap<>();
            for (int i = in.readInt(); i > 0; i--) {
                late.put(in.readInt(), new double[] {in.readDouble(), in.readDouble()});
            }
            long adamStep = in.readLong();
            double lastLr = in.readDouble();
            Map<String, float[]> m = new LinkedHashMap<>();
            Map<String, float[]> v = new LinkedHashMap<>();
            for (int i = in.readInt(); i > 0; i--) {
                String name = in.readUTF();
                m.put(name, readFloats(in));
                v.put(name, readFloats(in));
            }
            long rng = in.readLong();
            int ids = in.readInt();
            List<String> applied = new ArrayList<>(ids);
            for (int i = 0; i < ids; i++) {
                applied.add(in.readUTF());
            }
            return new TrainerState(pass, seen, steps, firstLoss, late, new AdamState(adamStep, lastLr, m, v), rng,
                    applied);
        } catch (IOException e) {
            throw new CorruptCheckpointException(OBJECT_NAME + " cannot be read (" + e.getMessage()
                    + "); the checkpoint is damaged: resume from an older version");
        }
    }

    private static void writeFloats(DataOutputStream out, float[] a) throws IOException {
        out.writeInt(a.length);
        for (float f : a) {
            out.writeFloat(f);
        }
    }

    private static float[] readFloats(DataInputStream in) throws IOException {
        float[] a = new float[in.readInt()];
        for (int i = 0; i < a.length; i++) {
            a[i] = in.readFloat();
        }
        return a;
    }

    @Override
    public String toString() {
        return "TrainerState[pass=" + pass + ", seen=" + seen + ", optimizerSteps=" + optimizerSteps + ", adamStep="
                + adam.step() + ", parameters=" + adam.m().size() + ", appliedRanges=" + appliedRanges.size() + ", lateLoss="
                + lateLoss.keySet() + ", rng=" + shuffleRng + ", firstLoss=" + firstLoss + "]"
                + (lateLoss.isEmpty() ? "" : Arrays.toString(lateLoss.values().iterator().next()));
    }
}
