package dev.sfd.pipeline.teacher;

/**
 * Counts one prompt's blocks in flight and calls its {@link PromptTicket} once: done when its
 * plan is finished and every block is acknowledged, failed on the first failure.
 */
final class PromptProgress {

    private final String promptId;
    private final PromptTicket ticket;
    private final TeacherStageListener listener;
    private int outstanding;
    private long blocks;
    private int trajectories;
    private boolean planned;
    private boolean finished;

    PromptProgress(String promptId, PromptTicket ticket, TeacherStageListener listener) {
        this.promptId = promptId;
        this.ticket = ticket;
        this.listener = listener;
    }

    synchronized void sending(int trajectoryCount, int blockCount) {
        outstanding += blockCount;
        blocks += blockCount;
        trajectories += trajectoryCount;
    }

    void acknowledged() {
        boolean done;
        synchronized (this) {
            outstanding--;
            done = checkDone();
        }
        if (done) {
            finish();
        }
    }

    void planFinished() {
        boolean done;
        synchronized (this) {
            planned = true;
            done = checkDone();
        }
        if (done) {
            finish();
        }
    }

    void fail(Throwable cause) {
        synchronized (this) {
            if (finished) {
                return;
            }
            finished = true;
        }
        ticket.failed(cause);
    }

    synchronized boolean finished() {
        return finished;
    }

    private boolean checkDone() {
        if (!finished && planned && outstanding == 0) {
            finished = true;
            return true;
        }
        return false;
    }

    private void finish() {
        listener.promptDone(promptId, trajectories);
        ticket.done(trajectories, blocks);
    }
}
