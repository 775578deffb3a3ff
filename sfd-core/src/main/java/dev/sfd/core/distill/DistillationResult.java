package dev.sfd.core.distill;

import dev.sfd.core.onnx.OnnxModel;
import java.util.Map;

/**
 * The outcome of an SFD run.
 *
 * @param student        the student ONNX model with its {@link StudentMetadata}
 * @param metadata       the metadata written into it
 * @param trajectories   teacher trajectories trained on
 * @param optimizerSteps Adam steps taken (one per trained student step)
 * @param teacherNfe     teacher network calls spent (batched)
 * @param seconds        wall-clock time of the run
 * @param firstLoss      mean loss over the first batch
 * @param finalLossByN   mean loss per trained step over the last 10% of batches, by N
 */
public record DistillationResult(OnnxModel student, StudentMetadata metadata, long trajectories, long optimizerSteps,
        long teacherNfe, double seconds, double firstLoss, Map<Integer, Double> finalLossByN) {
}
