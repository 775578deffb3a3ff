package dev.sfd.stack;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * One local stack per JVM, started on first use with free ports in a temporary directory and
 * stopped when the JVM exits. Tests of every module share it this way.
 */
public final class SharedLocalStack {

    /** System property: partitions of the project's topics in the shared stack (default 3). */
    public static final String PARTITIONS_PROPERTY = "sfd.stack.partitions";

    private static LocalStack instance;

    private SharedLocalStack() {
    }

    public static synchronized LocalStack get() {
        if (instance == null) {
            try {
                Path dir = Files.createTempDirectory("sfd-stack-");
                int partitions = Integer.getInteger(PARTITIONS_PROPERTY, 3);
                instance = LocalStack.start(StackSettings.ephemeral(dir, partitions));
            } catch (IOException e) {
                throw new IllegalStateException("cannot start the shared local stack: " + e.getMessage(), e);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException("interrupted while starting the shared local stack", e);
            }
        }
        return instance;
    }
}
