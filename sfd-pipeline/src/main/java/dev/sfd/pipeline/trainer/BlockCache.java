package dev.sfd.pipeline.trainer;

import dev.sfd.core.trajectory.CorruptBlockException;
import dev.sfd.core.trajectory.TrajectoryBlock;
import dev.sfd.core.trajectory.TrajectoryBlockCodec;
import java.io.BufferedInputStream;
import java.io.BufferedOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * The trainer's local copy of every valid block it read in the first pass, so replay passes read
 * from disk instead of seeking the consumer group back (the group's committed offsets then stay at
 * first-pass progress, and lag means what users expect). One append-only file of
 * {@code [int32 length][block bytes]} in {@code directory}, deleted on {@link #close}. Blocks are
 * re-validated by the codec's CRC when read back. Not thread-safe.
 */
public final class BlockCache implements AutoCloseable {

    private final Path file;
    private DataOutputStream out;
    private long blocks;
    private long bytes;

    public BlockCache(Path directory) {
        try {
            Files.createDirectories(directory);
            this.file = Files.createTempFile(directory, "sfd-replay-", ".blocks");
            this.out = new DataOutputStream(new BufferedOutputStream(Files.newOutputStream(file), 1 << 16));
        } catch (IOException e) {
            throw new UncheckedIOException("cannot create the replay block cache in " + directory
                    + " (sfd.trainer.replay-cache-dir): " + e.getMessage() + "; give the trainer a writable directory",
                    e);
        }
    }

    public void append(byte[] value) {
        try {
            out.writeInt(value.length);
            out.write(value);
            blocks++;
            bytes += value.length;
        } catch (IOException e) {
            throw new UncheckedIOException("cannot append to the replay block cache " + file + ": " + e.getMessage(), e);
        }
    }

    public long blocks() {
        return blocks;
    }

    public long bytes() {
        return bytes;
    }

    /** Reads the cached blocks back in order (those appended so far). */
    public Reader reader() {
        try {
            out.flush();
            return new Reader(new DataInputStream(new BufferedInputStream(Files.newInputStream(file), 1 << 16)),
                    blocks);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read the replay block cache " + file + ": " + e.getMessage(), e);
        }
    }

    /** Sequential reader of the blocks cached when it was opened. */
    public final class Reader implements AutoCloseable {
        private final DataInputStream in;
        private final long count;
        private long read;

        private Reader(DataInputStream in, long count) {
            this.in = in;
            this.count = count;
        }

        /** The next block, or null at the end. */
        public TrajectoryBlock next() {
            if (read >= count) {
                return null;
            }
            try {
                byte[] value = new byte[in.readInt()];
                in.readFully(value);
                read++;
                return TrajectoryBlockCodec.decode(value);
            } catch (EOFException e) {
                throw new IllegalStateException("replay block cache " + file + " ends after " + read + " of " + count
                        + " blocks: the local disk lost data", e);
            } catch (IOException e) {
                throw new UncheckedIOException("cannot read the replay block cache " + file + ": " + e.getMessage(), e);
            } catch (CorruptBlockException e) {
                throw new IllegalStateException("replay block cache " + file + " holds a damaged block (" + e.getMessage()
                        + "): the local disk corrupted it", e);
            }
        }

        /** Index of the next block. */
        public long position() {
            return read;
        }

        @Override
        public void close() {
            try {
                in.close();
            } catch (IOException ignored) {
                // nothing to do
            }
        }
    }

    @Override
    public void close() {
        try {
            out.close();
            Files.deleteIfExists(file);
        } catch (IOException ignored) {
            // a temp file left behind is harmless
        }
    }
}
