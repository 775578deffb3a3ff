package dev.sfd.pipeline.teacher;

/**
 * Deterministic trajectory ids, {@code <prompt id>/<sample index>/<seed>}: the same prompt record
 * always yields the same ids, so a trajectory re-sent after a crash is a recognisable duplicate
 * downstream. The index and the seed contain no '/', so the id parses from the right.
 */
public final class TrajectoryIds {

    /** The parts of an id. */
    public record Parts(String promptId, int index, long seed) {
    }

    private TrajectoryIds() {
    }

    public static String of(String promptId, int index, long seed) {
        return promptId + "/" + index + "/" + seed;
    }

    public static Parts parse(String trajectoryId) {
        int b = trajectoryId.lastIndexOf('/');
        int a = b < 0 ? -1 : trajectoryId.lastIndexOf('/', b - 1);
        if (a < 0) {
            throw new IllegalArgumentException("'" + trajectoryId + "' is not a trajectory id <prompt id>/<index>/<seed>");
        }
        try {
            return new Parts(trajectoryId.substring(0, a), Integer.parseInt(trajectoryId.substring(a + 1, b)),
                    Long.parseLong(trajectoryId.substring(b + 1)));
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("'" + trajectoryId + "' is not a trajectory id <prompt id>/<index>/<seed>");
        }
    }
}
