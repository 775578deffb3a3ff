package dev.sfd.pipeline.teacher;

/**
 * What the stage tells the source of a prompt (teacher-service: the Kafka message): done (every
 * block of its trajectories acknowledged; commit the offset) or failed (do not commit).
 * Exactly one of the two is called, at most once; neither is called for a prompt still in progress
 * when the stage stops, so it is handed back (re-delivered).
 */
public interface PromptTicket {

    void done(int trajectories, long blocks);

    void failed(Throwable cause);
}
