package dev.plumb.agent;

import dev.plumb.system.FileErrors;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.channels.OverlappingFileLockException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.Set;

/**
 * The host-wide lock that keeps two applies from interleaving: an exclusive lock on {@code STATE/lock}, which
 * holds the holder's pid and start time for the message another run gets. The kernel releases it when the holder
 * dies, however it dies.
 */
final class RunLock implements AutoCloseable {

    private static final Duration POLL = Duration.ofMillis(100);

    private final FileChannel channel;

    private RunLock(FileChannel channel) {
        this.channel = channel;
    }

    /** Takes the lock of {@code stateDirectory}, waiting up to {@code wait} for another run to release it. */
    static RunLock acquire(Path stateDirectory, Duration wait) throws RunRefusedException {
        Path file = stateDirectory.resolve("lock");
        try {
            FileChannel channel = FileChannel.open(file, Set.of(StandardOpenOption.CREATE, StandardOpenOption.READ,
                    StandardOpenOption.WRITE), PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
            long deadline = System.nanoTime() + wait.toNanos();
            while (!tryLock(channel)) {
                if (System.nanoTime() - deadline >= 0) {
                    String holder = readHolder(channel);
                    channel.close();
                    throw new RunRefusedException("another plumb run " + holder + "; nothing was changed. Waited "
                            + wait.toSeconds() + " s for " + file + " (--lock-timeout); try again when that run has ended");
                }
                Thread.sleep(POLL.toMillis());
            }
            byte[] holder = (ProcessHandle.current().pid() + " " + Instant.now().truncatedTo(ChronoUnit.SECONDS) + "\n")
                    .getBytes(StandardCharsets.UTF_8);
            channel.truncate(0);
            channel.write(ByteBuffer.wrap(holder), 0);
            return new RunLock(channel);
        } catch (IOException e) {
            throw new RunRefusedException("cannot take the run lock " + file + ": " + FileErrors.describe(e)
                    + "; nothing was changed");
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new RunRefusedException("interrupted while waiting for the run lock " + file + "; nothing was changed");
        }
    }

    private static boolean tryLock(FileChannel channel) throws IOException {
        try {
            FileLock lock = channel.tryLock();
            return lock != null;
        } catch (OverlappingFileLockException heldInThisProcess) {
            return false;
        }
    }

    /** "(pid 4242) holds the lock since 2026-11-29T12:03:05Z", or less when the holder has not written it yet. */
    private static String readHolder(FileChannel channel) throws IOException {
        ByteBuffer buffer = ByteBuffer.allocate(256);
        channel.read(buffer, 0);
        String[] fields = new String(buffer.array(), 0, buffer.position(), StandardCharsets.UTF_8).strip().split(" ");
        if (fields.length != 2) {
            return "holds the lock";
        }
        return "(pid " + fields[0] + ") holds the lock since " + fields[1];
    }

    /** Releases the lock; the file stays, so that every run locks the same inode. */
    @Override
    public void close() throws IOException {
        channel.close();
    }
}
