package dev.plumb.agent;

import dev.plumb.engine.HostLock;
import dev.plumb.engine.HostLockException;
import dev.plumb.system.FileErrors;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.channels.OverlappingFileLockException;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFileAttributes;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.Set;

/**
 * The host-wide lock that keeps two applies from interleaving, whatever state directory each uses: an exclusive lock
 * on {@code /run/plumb/apply.lock} as root, else on {@code $XDG_RUNTIME_DIR/plumb/apply.lock} or
 * {@code /tmp/plumb-UID/apply.lock}. The file holds the holder's pid and start time for the message another run
 * gets. The kernel releases the lock when the holder dies, however it dies. The engine takes it ({@link #hostWide}).
 */
final class RunLock implements HostLock.Held {

    /**
     * Tests only: a lock file of their own, so that the applies of a test suite neither wait for nor block a real
     * plumb on the machine.
     */
    static final String TEST_LOCK_PROPERTY = "plumb.runLockForTests";

    private static final Duration POLL = Duration.ofMillis(100);
    private static final Set<PosixFilePermission> OWNER_ONLY = PosixFilePermissions.fromString("rwx------");

    private final FileChannel channel;

    private RunLock(FileChannel channel) {
        this.channel = channel;
    }

    /** This host's run lock, for which a run waits up to {@code wait} while another run holds it. */
    static HostLock hostWide(Duration wait) {
        return () -> {
            String forTests = System.getProperty(TEST_LOCK_PROPERTY);
            return acquire(forTests != null ? Path.of(forTests) : hostWideFile(), wait);
        };
    }

    /** The run lock on {@code file}, for which a run waits up to {@code wait}. */
    static HostLock at(Path file, Duration wait) {
        return () -> acquire(file, wait);
    }

    /** The lock file every plumb run of this user on this host shares; root's is in /run, which only root writes. */
    static Path hostWideFile() throws HostLockException {
        long uid = currentUid();
        if (uid == 0) {
            return Path.of("/run/plumb/apply.lock");
        }
        String runtime = System.getenv("XDG_RUNTIME_DIR");
        Path directory = runtime != null && !runtime.isEmpty() ? Path.of(runtime, "plumb") : Path.of("/tmp", "plumb-" + uid);
        return directory.resolve("apply.lock");
    }

    /** Takes the lock on {@code file}, whose directory is made 0700 if missing and must be this user's. */
    static RunLock acquire(Path file, Duration wait) throws HostLockException {
        try {
            ownDirectory(file.getParent());
            FileChannel channel = FileChannel.open(file, Set.of(StandardOpenOption.CREATE, StandardOpenOption.READ,
                    StandardOpenOption.WRITE, LinkOption.NOFOLLOW_LINKS),
                    PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
            long deadline = System.nanoTime() + wait.toNanos();
            while (!tryLock(channel)) {
                if (System.nanoTime() - deadline >= 0) {
                    String holder = readHolder(channel);
                    channel.close();
                    throw new HostLockException("another plumb run " + holder + "; nothing was changed. Waited "
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
            throw new HostLockException("cannot take the run lock " + file + ": " + FileErrors.describe(e)
                    + "; nothing was changed");
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new HostLockException("interrupted while waiting for the run lock " + file + "; nothing was changed");
        }
    }

    /**
     * Creates {@code directory} 0700 if missing; refuses one that is a symlink or another user's, since its owner
     * could hold or replace the lock and so run beside this apply.
     */
    private static void ownDirectory(Path directory) throws IOException, HostLockException {
        try {
            Files.createDirectory(directory, PosixFilePermissions.asFileAttribute(OWNER_ONLY));
            Files.setPosixFilePermissions(directory, OWNER_ONLY); // the umask may have taken bits away
        } catch (FileAlreadyExistsException e) {
            // Checked below, as a directory made by this or an earlier run must be.
        }
        PosixFileAttributes attributes = Files.readAttributes(directory, PosixFileAttributes.class, LinkOption.NOFOLLOW_LINKS);
        long owner = (Integer) Files.getAttribute(directory, "unix:uid", LinkOption.NOFOLLOW_LINKS);
        if (!attributes.isDirectory() || owner != currentUid()) {
            throw new HostLockException("cannot take the run lock in " + directory + ": it is "
                    + (attributes.isDirectory() ? "owned by uid " + owner + ", not by this user (uid " + currentUid() + ")"
                    : "not a directory") + "; nothing was changed. Remove it, or set XDG_RUNTIME_DIR to a directory of yours");
        }
    }

    /** The effective uid of this process: the owner of its {@code /proc/self}. */
    private static long currentUid() throws HostLockException {
        try {
            return (Integer) Files.getAttribute(Path.of("/proc/self"), "unix:uid");
        } catch (IOException e) {
            throw new HostLockException("cannot tell which user runs plumb from /proc/self: " + FileErrors.describe(e)
                    + "; nothing was changed");
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
    public void close() {
        try {
            channel.close();
        } catch (IOException e) {
            // Closing the channel releases the lock even when close reports an error.
        }
    }
}
