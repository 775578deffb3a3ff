package dev.sfd.pipeline.teacher;

/** Measurements of the stage (teacher-service turns them into Micrometer metrics). */
public interface TeacherStageListener {

    /** One teacher call: step count, samples, batch size, network evaluations, wall time. */
    default void batchGenerated(int stepCount, int samples, int batchSize, long nfe, long nanos) {
    }

    /** One block of {@code rows} trajectories and {@code bytes} bytes acknowledged by the broker. */
    default void blockAcknowledged(int rows, int bytes) {
    }

    /** A prompt's trajectories are all safe. */
    default void promptDone(String promptId, int trajectories) {
    }

    TeacherStageListener NONE = new TeacherStageListener() {
    };
}
